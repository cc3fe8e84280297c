package io.jpmem.redis.rdb;

/**
 * LZF decompression (liblzf's format, which Redis uses for RDB strings): a sequence of runs, each
 * starting with a control byte. Below 32 it is a literal run of {@code ctrl + 1} bytes; otherwise a
 * back reference of length {@code (ctrl >> 5) + 2} (an extra length byte when the 3-bit field is 7)
 * to {@code ((ctrl & 0x1f) << 8 | next) + 1} bytes back in the output. Every reference and run is
 * bounds-checked: corrupt input fails with a reason, never with an exception from an array.
 */
final class Lzf {

    private Lzf() {}

    static byte[] decompress(byte[] in, int plainLength, long at) throws RdbException {
        byte[] out = new byte[plainLength];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (ip + run > in.length || op + run > out.length) {
                    throw corrupt(at);
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int length = ctrl >> 5;
                if (length == 7) {
                    if (ip >= in.length) {
                        throw corrupt(at);
                    }
                    length += in[ip++] & 0xff;
                }
                length += 2;
                if (ip >= in.length) {
                    throw corrupt(at);
                }
                int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
                if (ref < 0 || op + length > out.length) {
                    throw corrupt(at);
                }
                for (int i = 0; i < length; i++) { // may overlap its own output: byte by byte
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != plainLength) {
            throw corrupt(at);
        }
        return out;
    }

    private static RdbException corrupt(long at) {
        return new RdbException("corrupt: the LZF-compressed string at byte " + at + " does not decompress");
    }
}
