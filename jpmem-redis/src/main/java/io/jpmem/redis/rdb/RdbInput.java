package io.jpmem.redis.rdb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The RDB format's primitives read from a stream: bytes, fixed-width integers, the variable
 * length encoding, strings (raw, integer-encoded, LZF-compressed) and both double encodings. Keeps
 * the CRC-64 of every byte consumed and the offset, for the checksum and for error messages. A
 * stream that ends early is reported as truncated, never as a short value.
 */
final class RdbInput {

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private long consumedBefore; // bytes of the stream before buffer[0]
    private long crc;

    RdbInput(InputStream in) {
        this.in = in;
    }

    /** {@return the offset of the next byte} */
    long offset() {
        return consumedBefore + pos;
    }

    /** {@return the CRC-64 of every byte consumed so far} */
    long crc() {
        return crc;
    }

    private boolean fill() throws IOException {
        consumedBefore += limit;
        pos = 0;
        limit = 0;
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private RdbException truncated() {
        return new RdbException("truncated: the data ends at byte " + offset() + " in the middle of a value");
    }

    /** {@return whether the stream has no more bytes} */
    boolean atEnd() throws IOException {
        return pos == limit && !fill();
    }

    int readUnsignedByte() throws IOException, RdbException {
        if (pos == limit && !fill()) {
            throw truncated();
        }
        int b = buffer[pos++] & 0xff;
        crc = Crc64.update(crc, b);
        return b;
    }

    /** Reads exactly {@code length} bytes; a huge (corrupt) length fails as truncated without allocating it first. */
    byte[] readBytes(long length) throws IOException, RdbException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new RdbException("corrupt: a string of " + length + " bytes at byte " + offset());
        }
        int n = (int) length;
        if (n <= (1 << 20)) {
            byte[] out = new byte[n];
            readInto(out, 0, n);
            return out;
        }
        ByteArrayOutputStream big = new ByteArrayOutputStream(1 << 20);
        byte[] chunk = new byte[1 << 20];
        int left = n;
        while (left > 0) {
            int step = Math.min(left, chunk.length);
            readInto(chunk, 0, step);
            big.write(chunk, 0, step);
            left -= step;
        }
        return big.toByteArray();
    }

    private void readInto(byte[] out, int offset, int length) throws IOException, RdbException {
        int done = 0;
        while (done < length) {
            if (pos == limit && !fill()) {
                throw truncated();
            }
            int step = Math.min(length - done, limit - pos);
            System.arraycopy(buffer, pos, out, offset + done, step);
            crc = Crc64.update(crc, buffer, pos, step);
            pos += step;
            done += step;
        }
    }

    /** {@return a little-endian integer of {@code width} bytes} */
    long readLittleEndian(int width) throws IOException, RdbException {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (long) readUnsignedByte() << (8 * i);
        }
        return v;
    }

    private long readBigEndian(int width) throws IOException, RdbException {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = (v << 8) | readUnsignedByte();
        }
        return v;
    }

    /** A length, or the marker of a specially encoded string: {@code encoded} says which. */
    record Length(long value, boolean encoded) {}

    Length readLengthOrEncoding() throws IOException, RdbException {
        int first = readUnsignedByte();
        return switch (first >> 6) {
            case RdbFormat.LEN_6BIT -> new Length(first & 0x3f, false);
            case RdbFormat.LEN_14BIT -> new Length(((first & 0x3f) << 8) | readUnsignedByte(), false);
            case RdbFormat.LEN_ENCODED -> new Length(first & 0x3f, true);
            default -> switch (first) {
                case RdbFormat.LEN_32BIT -> new Length(readBigEndian(4), false);
                case RdbFormat.LEN_64BIT -> new Length(readBigEndian(8), false);
                default -> throw new RdbException("corrupt: unknown length encoding 0x" + Integer.toHexString(first)
                        + " at byte " + (offset() - 1));
            };
        };
    }

    /** {@return a length (a count, a database number)} */
    long readLength() throws IOException, RdbException {
        long at = offset();
        Length length = readLengthOrEncoding();
        if (length.encoded() || length.value() < 0) {
            throw new RdbException("corrupt: expected a length at byte " + at);
        }
        return length.value();
    }

    /** {@return a string in any of its encodings; integer encodings give their decimal text} */
    byte[] readString() throws IOException, RdbException {
        long at = offset();
        Length length = readLengthOrEncoding();
        if (!length.encoded()) {
            return readBytes(length.value());
        }
        return switch ((int) length.value()) {
            case RdbFormat.ENC_INT8 -> decimal((byte) readUnsignedByte());
            case RdbFormat.ENC_INT16 -> decimal((short) readLittleEndian(2));
            case RdbFormat.ENC_INT32 -> decimal((int) readLittleEndian(4));
            case RdbFormat.ENC_LZF -> {
                long compressed = readLength();
                long plain = readLength();
                if (plain > Integer.MAX_VALUE - 16) {
                    throw new RdbException("corrupt: a compressed string of " + plain + " bytes at byte " + at);
                }
                byte[] packed = readBytes(compressed);
                yield Lzf.decompress(packed, (int) plain, at);
            }
            default -> throw new RdbException("corrupt: unknown string encoding " + length.value() + " at byte " + at);
        };
    }

    private static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@return a double of the old ZSET encoding: a length byte (253 NaN, 254 +inf, 255 -inf) and its text} */
    double readTextDouble() throws IOException, RdbException {
        int length = readUnsignedByte();
        return switch (length) {
            case 253 -> Double.NaN;
            case 254 -> Double.POSITIVE_INFINITY;
            case 255 -> Double.NEGATIVE_INFINITY;
            default -> {
                long at = offset();
                String text = new String(readBytes(length), StandardCharsets.US_ASCII);
                yield CompactEncodings.parseScore(text.getBytes(StandardCharsets.US_ASCII), at);
            }
        };
    }

    /** {@return an IEEE 754 double stored as 8 little-endian bytes} */
    double readBinaryDouble() throws IOException, RdbException {
        return Double.longBitsToDouble(readLittleEndian(8));
    }
}
