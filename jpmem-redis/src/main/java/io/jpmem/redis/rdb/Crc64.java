package io.jpmem.redis.rdb;

/**
 * The CRC-64 Redis puts at the end of RDB files and DUMP payloads: the "Jones" polynomial
 * {@code 0xad93d23594c935a9}, reflected input and output, initial value 0, no final xor (so
 * {@code "123456789"} gives {@code 0xe9c6d914c4b8d9ca}). Table-driven, one byte per step; the
 * value is stored little-endian after the data it covers.
 */
public final class Crc64 {

    /** The polynomial, bit-reversed for the reflected (LSB-first) algorithm. */
    private static final long REFLECTED_POLY = Long.reverse(0xad93d23594c935a9L);
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {}

    /** {@return {@code crc} extended over {@code length} bytes of {@code data} from {@code offset}} */
    public static long update(long crc, byte[] data, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            crc = TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    /** {@return {@code crc} extended over one byte} */
    public static long update(long crc, int b) {
        return TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    /** {@return the CRC-64 of {@code data}} */
    public static long of(byte[] data, int offset, int length) {
        return update(0, data, offset, length);
    }
}
