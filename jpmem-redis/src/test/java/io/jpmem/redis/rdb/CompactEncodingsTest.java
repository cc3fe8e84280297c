package io.jpmem.redis.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The encodings Redis 7.0 no longer writes but older files hold (ziplist, zipmap, intset of every
 * width), built byte by byte from their documented layouts, every integer form included; and the
 * checksum's reference value.
 */
class CompactEncodingsTest {

    @Test
    void crc64IsRedisJonesCrc() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of(check, 0, check.length));
    }

    private static List<String> text(List<byte[]> elements) {
        return elements.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }

    private static void le(ByteArrayOutputStream out, long v, int width) {
        for (int i = 0; i < width; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    /** A ziplist of the given entries (each an encoding and its data), with its header and end byte. */
    private static byte[] ziplist(byte[]... entries) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        for (byte[] e : entries) {
            if (prev < 254) {
                body.write(prev);
            } else {
                body.write(0xfe);
                le(body, prev, 4);
            }
            body.writeBytes(e);
            prev = e.length + (prev < 254 ? 1 : 5);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le(out, 10 + body.size() + 1, 4);
        le(out, 0, 4);
        le(out, entries.length, 2);
        out.writeBytes(body.toByteArray());
        out.write(0xff);
        return out.toByteArray();
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void ziplistEveryEntryForm() throws Exception {
        byte[] longString = "y".repeat(300).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream fourteen = new ByteArrayOutputStream();
        fourteen.write(0x40 | (300 >> 8));
        fourteen.write(300 & 0xff);
        fourteen.writeBytes(longString);
        byte[] zl = ziplist(
                bytes(0x03, 'a', 'b', 'c'),
                fourteen.toByteArray(),
                bytes(0x80, 0, 0, 0, 2, 'h', 'i'),
                bytes(0xfe, 0xfb), // int8 -5
                bytes(0xf1), bytes(0xfd), // immediate 0 and 12
                bytes(0xc0, 0x18, 0xfc), // int16 -1000
                bytes(0xf0, 0x40, 0x42, 0x0f), // int24 1000000
                bytes(0xd0, 0x00, 0x94, 0x35, 0x77), // int32 2000000000
                bytes(0xe0, 0, 0, 0, 0, 0, 1, 0, 0)); // int64 2^40
        assertEquals(List.of("abc", "y".repeat(300), "hi", "-5", "0", "12", "-1000", "1000000", "2000000000", "1099511627776"),
                text(CompactEncodings.ziplist(zl, 0)));
        byte[] cut = java.util.Arrays.copyOf(zl, zl.length - 3);
        assertTrue(assertThrows(RdbException.class, () -> CompactEncodings.ziplist(cut, 77)).getMessage()
                .startsWith("corrupt: the ziplist in the string at byte 77 is malformed"));
    }

    @Test
    void intsetOfEveryWidth() throws Exception {
        for (int width : new int[] {2, 4, 8}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            le(out, width, 4);
            le(out, 3, 4);
            long big = width == 2 ? 30000 : width == 4 ? 2000000000 : 5000000000L;
            le(out, -big, width);
            le(out, 1, width);
            le(out, big, width);
            assertEquals(List.of(Long.toString(-big), "1", Long.toString(big)), text(CompactEncodings.intset(out.toByteArray(), 0)));
        }
    }

    @Test
    void zipmapWithFreeBytesAndBigLengths() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(2);
        out.write(1);
        out.write('k');
        out.write(2);
        out.write(3); // three unused bytes after the value
        out.writeBytes("v1".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[3]);
        out.write(254);
        le(out, 300, 4);
        out.writeBytes("f".repeat(300).getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.write(0);
        out.write(0xff);
        assertEquals(List.of("k", "v1", "f".repeat(300), ""), text(CompactEncodings.zipmap(out.toByteArray(), 0)));
    }

    @Test
    void listpackIntegerForms() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[][] entries = {
            bytes(0x7f), // 7-bit 127
            bytes(0xdf, 0xff), // 13-bit -1
            bytes(0xc0 | 0x0f, 0xff), // 13-bit 4095
            bytes(0xf1, 0x18, 0xfc), // int16 -1000
            bytes(0xf2, 0xc0, 0xbd, 0xf0), // int24 -1000000
            bytes(0xf3, 0x00, 0x6c, 0xca, 0x88), // int32 -2000000000
            bytes(0xf4, 0, 0, 0, 0, 0, 0, 0, 0x80), // int64 min
            bytes(0x82, 'o', 'k'),
        };
        for (byte[] e : entries) {
            body.writeBytes(e);
            body.write(e.length); // back-length, one byte for short entries
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le(out, 6 + body.size() + 1, 4);
        le(out, entries.length, 2);
        out.writeBytes(body.toByteArray());
        out.write(0xff);
        assertEquals(List.of("127", "-1", "4095", "-1000", "-1000000", "-2000000000", Long.toString(Long.MIN_VALUE), "ok"),
                text(CompactEncodings.listpack(out.toByteArray(), 0)));
    }
}
