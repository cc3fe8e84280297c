package io.jpmem.redis.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The RDB format's primitives written to a stream, keeping the CRC-64 of every byte: the length
 * encoding (6, 14, 32 or 64 bits), strings (integer-encoded when the text is an integer that fits
 * 32 bits and reads back the same, as Redis does; otherwise raw), binary doubles, little-endian
 * integers. Buffered: {@link #flush} passes what is buffered on.
 */
final class RdbOutput {

    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private int used;
    private long crc;
    private long written;

    RdbOutput(OutputStream out) {
        this.out = out;
    }

    long crc() {
        return crc;
    }

    /** {@return the bytes written so far} */
    long written() {
        return written + used;
    }

    void flush() throws IOException {
        if (used > 0) {
            crc = Crc64.update(crc, buffer, 0, used);
            out.write(buffer, 0, used);
            written += used;
            used = 0;
        }
        out.flush();
    }

    void writeByte(int b) throws IOException {
        if (used == buffer.length) {
            drain();
        }
        buffer[used++] = (byte) b;
    }

    private void drain() throws IOException {
        crc = Crc64.update(crc, buffer, 0, used);
        out.write(buffer, 0, used);
        written += used;
        used = 0;
    }

    void writeBytes(byte[] b) throws IOException {
        if (b.length > buffer.length - used) {
            drain();
            if (b.length > buffer.length) {
                crc = Crc64.update(crc, b, 0, b.length);
                out.write(b);
                written += b.length;
                return;
            }
        }
        System.arraycopy(b, 0, buffer, used, b.length);
        used += b.length;
    }

    void writeLittleEndian(long v, int width) throws IOException {
        for (int i = 0; i < width; i++) {
            writeByte((int) (v >>> (8 * i)));
        }
    }

    void writeLength(long n) throws IOException {
        if (n < (1 << 6)) {
            writeByte((int) n);
        } else if (n < (1 << 14)) {
            writeByte((RdbFormat.LEN_14BIT << 6) | (int) (n >> 8));
            writeByte((int) n);
        } else if (n <= 0xffffffffL) {
            writeByte(RdbFormat.LEN_32BIT);
            for (int i = 3; i >= 0; i--) {
                writeByte((int) (n >>> (8 * i)));
            }
        } else {
            writeByte(RdbFormat.LEN_64BIT);
            for (int i = 7; i >= 0; i--) {
                writeByte((int) (n >>> (8 * i)));
            }
        }
    }

    void writeString(byte[] s) throws IOException {
        if (s.length > 0 && s.length <= 11) {
            long v = canonicalInt32(s);
            if (v != Long.MIN_VALUE) {
                writeInteger(v);
                return;
            }
        }
        writeLength(s.length);
        writeBytes(s);
    }

    void writeString(String s) throws IOException {
        writeString(s.getBytes(StandardCharsets.UTF_8));
    }

    private void writeInteger(long v) throws IOException {
        int encoded = RdbFormat.LEN_ENCODED << 6;
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte(encoded | RdbFormat.ENC_INT8);
            writeLittleEndian(v, 1);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte(encoded | RdbFormat.ENC_INT16);
            writeLittleEndian(v, 2);
        } else {
            writeByte(encoded | RdbFormat.ENC_INT32);
            writeLittleEndian(v, 4);
        }
    }

    /** {@return the value of {@code s} if it is the canonical decimal text of a 32-bit integer, else Long.MIN_VALUE} */
    private static long canonicalInt32(byte[] s) {
        int i = 0;
        boolean negative = s[0] == '-';
        if (negative) {
            i = 1;
            if (s.length == 1) {
                return Long.MIN_VALUE;
            }
        }
        if (s[i] == '0' && (s.length > i + 1 || negative)) {
            return Long.MIN_VALUE; // leading zero, or "-0"
        }
        long v = 0;
        for (; i < s.length; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        v = negative ? -v : v;
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? v : Long.MIN_VALUE;
    }

    void writeBinaryDouble(double d) throws IOException {
        writeLittleEndian(Double.doubleToRawLongBits(d), 8);
    }
}
