package io.jpmem.collections;

/**
 * An encoding of strings whose unsigned byte order equals {@link String#compareTo} order: each
 * UTF-16 unit on its own, in UTF-8's shapes (below 0x80: 1 byte; below 0x800: 2; else 3, surrogates
 * included). UTF-8 proper orders by code point, which differs from {@code compareTo} when a
 * supplementary character meets a unit in U+E000..U+FFFF; this encoding (CESU-8 without the NUL
 * special case) does not. ASCII text is its own encoding.
 */
final class StringOrder {

    private StringOrder() {}

    /** {@return the encoded bytes of {@code s}} */
    static byte[] encode(String s) {
        int length = s.length();
        int bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        byte[] out = new byte[bytes];
        int at = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return out;
    }

    /** {@return the string {@code bytes} encode} */
    static String decode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        int n = 0;
        for (int at = 0; at < bytes.length; ) {
            int b = bytes[at] & 0xFF;
            if (b < 0x80) {
                chars[n++] = (char) b;
                at++;
            } else if (b < 0xE0) {
                chars[n++] = (char) ((b & 0x1F) << 6 | bytes[at + 1] & 0x3F);
                at += 2;
            } else {
                chars[n++] = (char) ((b & 0x0F) << 12 | (bytes[at + 1] & 0x3F) << 6 | bytes[at + 2] & 0x3F);
                at += 3;
            }
        }
        return new String(chars, 0, n);
    }
}
