package io.jpmem.redis.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's compact encodings, as an RDB file embeds them in a string: listpack, ziplist, intset and
 * zipmap. Each is parsed into its elements (integers as decimal text), bounds-checked at every step:
 * a corrupt blob fails with a reason naming the encoding and the RDB offset of its string.
 *
 * <p>Layouts (all integers little-endian unless said otherwise):
 * <ul>
 *   <li><b>listpack</b>: total bytes (4), element count (2), entries, {@code 0xff}. An entry is an
 *       encoding byte with its data, then a back-length of 1..5 bytes (the size of encoding + data in
 *       7-bit groups). Encodings: {@code 0xxxxxxx} 7-bit unsigned; {@code 10xxxxxx} string of up to
 *       63 bytes; {@code 110xxxxx} + 1 byte: 13-bit signed; {@code 1110xxxx} + 1 byte: string of up to
 *       4095 bytes (length big-endian in the 12 bits); {@code 0xf0} + 4: 32-bit string length;
 *       {@code 0xf1..0xf4}: 16, 24, 32, 64-bit signed integers.</li>
 *   <li><b>ziplist</b>: total bytes (4), tail offset (4), count (2), entries, {@code 0xff}. An entry
 *       is the previous entry's length (1 byte, or {@code 0xfe} + 4), an encoding, its data. Strings:
 *       {@code 00xxxxxx} (6-bit length), {@code 01xxxxxx} + 1 (14-bit, big-endian), {@code 0x80} + 4
 *       (32-bit, big-endian); integers: {@code 0xc0} int16, {@code 0xd0} int32, {@code 0xe0} int64,
 *       {@code 0xf0} int24, {@code 0xfe} int8, {@code 0xf1..0xfd} the value 0..12 itself.</li>
 *   <li><b>intset</b>: width in bytes (4: 2, 4 or 8), count (4), the sorted integers.</li>
 *   <li><b>zipmap</b> (RDB before version 4): a count byte, then per entry a key length, the key, a
 *       value length, a free byte, the value and that many unused bytes, then {@code 0xff}; a
 *       length is one byte below 254, or 254 + 4 bytes.</li>
 * </ul>
 */
final class CompactEncodings {

    private CompactEncodings() {}

    /** A cursor over one blob. */
    private static final class Cursor {
        final byte[] b;
        final String what;
        final long at;
        int p;

        Cursor(byte[] b, String what, long at) {
            this.b = b;
            this.what = what;
            this.at = at;
        }

        RdbException corrupt() {
            return new RdbException("corrupt: the " + what + " in the string at byte " + at + " is malformed (at its byte " + p + ")");
        }

        void need(long n) throws RdbException {
            if (n < 0 || p + n > b.length) {
                throw corrupt();
            }
        }

        int u8() throws RdbException {
            need(1);
            return b[p++] & 0xff;
        }

        long le(int width) throws RdbException {
            need(width);
            long v = 0;
            for (int i = 0; i < width; i++) {
                v |= (long) (b[p++] & 0xff) << (8 * i);
            }
            return v;
        }

        long be(int width) throws RdbException {
            need(width);
            long v = 0;
            for (int i = 0; i < width; i++) {
                v = (v << 8) | (b[p++] & 0xff);
            }
            return v;
        }

        byte[] bytes(long n) throws RdbException {
            need(n);
            byte[] out = java.util.Arrays.copyOfRange(b, p, p + (int) n);
            p += (int) n;
            return out;
        }
    }

    private static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@return the elements of a listpack} */
    static List<byte[]> listpack(byte[] blob, long at) throws RdbException {
        Cursor c = new Cursor(blob, "listpack", at);
        long total = c.le(4);
        if (total != blob.length) {
            throw c.corrupt();
        }
        c.le(2); // the count saturates at 65535: the end marker decides
        List<byte[]> out = new ArrayList<>();
        while (true) {
            int start = c.p;
            int e = c.u8();
            if (e == 0xff) {
                break;
            }
            byte[] element;
            if ((e & 0x80) == 0) {
                element = decimal(e & 0x7f);
            } else if ((e & 0xc0) == 0x80) {
                element = c.bytes(e & 0x3f);
            } else if ((e & 0xe0) == 0xc0) {
                long v = ((e & 0x1f) << 8) | c.u8();
                element = decimal(v >= (1 << 12) ? v - (1 << 13) : v);
            } else if ((e & 0xf0) == 0xe0) {
                element = c.bytes(((e & 0x0f) << 8) | c.u8());
            } else {
                element = switch (e) {
                    case 0xf0 -> c.bytes(c.le(4));
                    case 0xf1 -> decimal((short) c.le(2));
                    case 0xf2 -> decimal((c.le(3) << 40) >> 40);
                    case 0xf3 -> decimal((int) c.le(4));
                    case 0xf4 -> decimal(c.le(8));
                    default -> throw c.corrupt();
                };
            }
            int entryLength = c.p - start;
            int backlen = entryLength <= 127 ? 1 : entryLength < 16383 ? 2 : entryLength < 2097151 ? 3
                    : entryLength < 268435455 ? 4 : 5;
            c.need(backlen);
            c.p += backlen;
            out.add(element);
        }
        if (c.p != blob.length) {
            throw c.corrupt();
        }
        return out;
    }

    /** {@return the elements of a ziplist} */
    static List<byte[]> ziplist(byte[] blob, long at) throws RdbException {
        Cursor c = new Cursor(blob, "ziplist", at);
        long total = c.le(4);
        if (total != blob.length) {
            throw c.corrupt();
        }
        c.le(4); // tail offset
        c.le(2); // count (saturates at 65535)
        List<byte[]> out = new ArrayList<>();
        while (true) {
            int prev = c.u8();
            if (prev == 0xff) {
                break;
            }
            if (prev == 0xfe) {
                c.le(4);
            }
            int e = c.u8();
            byte[] element = switch (e >> 6) {
                case 0 -> c.bytes(e & 0x3f);
                case 1 -> c.bytes(((e & 0x3f) << 8) | c.u8());
                case 2 -> {
                    if (e != 0x80) {
                        throw c.corrupt();
                    }
                    yield c.bytes(c.be(4));
                }
                default -> switch (e) {
                    case 0xc0 -> decimal((short) c.le(2));
                    case 0xd0 -> decimal((int) c.le(4));
                    case 0xe0 -> decimal(c.le(8));
                    case 0xf0 -> decimal((c.le(3) << 40) >> 40);
                    case 0xfe -> decimal((byte) c.u8());
                    default -> {
                        if (e >= 0xf1 && e <= 0xfd) {
                            yield decimal((e & 0x0f) - 1);
                        }
                        throw c.corrupt();
                    }
                };
            };
            out.add(element);
        }
        if (c.p != blob.length) {
            throw c.corrupt();
        }
        return out;
    }

    /** {@return the integers of an intset, as decimal text} */
    static List<byte[]> intset(byte[] blob, long at) throws RdbException {
        Cursor c = new Cursor(blob, "intset", at);
        int width = (int) c.le(4);
        long count = c.le(4);
        if ((width != 2 && width != 4 && width != 8) || 8 + count * width != blob.length) {
            throw c.corrupt();
        }
        List<byte[]> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            long v = c.le(width);
            out.add(decimal(width == 2 ? (short) v : width == 4 ? (int) v : v));
        }
        return out;
    }

    /** {@return the keys and values of a zipmap, alternating} */
    static List<byte[]> zipmap(byte[] blob, long at) throws RdbException {
        Cursor c = new Cursor(blob, "zipmap", at);
        c.u8(); // count (saturates at 254)
        List<byte[]> out = new ArrayList<>();
        while (true) {
            int first = c.u8();
            if (first == 0xff) {
                break;
            }
            out.add(c.bytes(zipmapLength(c, first)));
            int valueLength = zipmapLength(c, c.u8());
            int free = c.u8();
            out.add(c.bytes(valueLength));
            c.need(free);
            c.p += free;
        }
        if (out.size() % 2 != 0 || c.p != blob.length) {
            throw c.corrupt();
        }
        return out;
    }

    private static int zipmapLength(Cursor c, int first) throws RdbException {
        if (first < 254) {
            return first;
        }
        if (first == 254) {
            long n = c.le(4);
            if (n > Integer.MAX_VALUE) {
                throw c.corrupt();
            }
            return (int) n;
        }
        throw c.corrupt();
    }

    /** {@return a sorted-set score written as text (also {@code inf}, {@code -inf}, {@code nan})} */
    static double parseScore(byte[] text, long at) throws RdbException {
        String s = new String(text, StandardCharsets.US_ASCII);
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> { }
        }
        try {
            if (s.isEmpty() || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) {
                throw new NumberFormatException(s);
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new RdbException("corrupt: the score '" + s + "' near byte " + at + " is not a number");
        }
    }
}
