package io.jpmem.redis.command;

/**
 * Bit arithmetic on a string value seen as a bit array, as Redis numbers it: bit 0 is the most
 * significant bit of byte 0, bits past the end of the string read as 0. Pure functions; the
 * commands that use them ({@link BitmapCommands}, {@link BitFieldCommand}) copy the string first.
 */
final class Bits {

    private Bits() {}

    /** {@return bit {@code offset} of {@code bytes} (0 past the end)} */
    static int get(byte[] bytes, long offset) {
        long index = offset >>> 3;
        if (index >= bytes.length) {
            return 0;
        }
        return (bytes[(int) index] >> (7 - (int) (offset & 7))) & 1;
    }

    /** Sets bit {@code offset} of {@code bytes}, which must be long enough, to {@code bit}. */
    static void set(byte[] bytes, long offset, int bit) {
        int index = (int) (offset >>> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        bytes[index] = (byte) (bit != 0 ? bytes[index] | mask : bytes[index] & ~mask);
    }

    /** {@return the {@code width} bits (1..64) from bit {@code offset}, as an unsigned number in the low bits} */
    static long getField(byte[] bytes, long offset, int width) {
        long value = 0;
        for (int i = 0; i < width; i++) {
            value = (value << 1) | get(bytes, offset + i);
        }
        return value;
    }

    /** {@return the {@code width} bits from {@code offset} as a two's-complement signed number} */
    static long getSignedField(byte[] bytes, long offset, int width) {
        long value = getField(bytes, offset, width);
        return width == 64 ? value : (value << (64 - width)) >> (64 - width);
    }

    /** Writes the low {@code width} bits of {@code value} at bit {@code offset}; {@code bytes} must be long enough. */
    static void setField(byte[] bytes, long offset, int width, long value) {
        for (int i = 0; i < width; i++) {
            set(bytes, offset + i, (int) (value >>> (width - 1 - i)) & 1);
        }
    }

    /** {@return how many bits are set in bytes [from, to]} */
    static long popcount(byte[] bytes, int from, int to) {
        long count = 0;
        int i = from;
        for (; i + 8 <= to + 1; i += 8) {
            long word = 0;
            for (int j = 0; j < 8; j++) {
                word = (word << 8) | (bytes[i + j] & 0xFF);
            }
            count += Long.bitCount(word);
        }
        for (; i <= to; i++) {
            count += Integer.bitCount(bytes[i] & 0xFF);
        }
        return count;
    }

    /** {@return the first bit in [fromBit, toBit] equal to {@code bit}, or -1} */
    static long position(byte[] bytes, long fromBit, long toBit, int bit) {
        long i = fromBit;
        while (i <= toBit && (i & 7) != 0) {
            if (get(bytes, i) == bit) {
                return i;
            }
            i++;
        }
        int skip = bit == 1 ? 0 : 0xFF; // whole bytes without the bit sought
        while (i + 7 <= toBit && (bytes[(int) (i >>> 3)] & 0xFF) == skip) {
            i += 8;
        }
        for (; i <= toBit; i++) {
            if (get(bytes, i) == bit) {
                return i;
            }
        }
        return -1;
    }
}
