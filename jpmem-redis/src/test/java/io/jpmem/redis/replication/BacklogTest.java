package io.jpmem.redis.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BacklogTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void holdsTheLastBytesWithTheirNumbers() {
        Backlog log = new Backlog(16, 100);
        assertEquals(101, log.first());
        assertArrayEquals(new byte[0], log.from(101), "nothing missed at the end");
        assertNull(log.from(100), "byte 100 was never held");
        log.append(b("0123456789"));
        assertEquals(110, log.end());
        assertArrayEquals(b("56789"), log.from(106));
        log.append(b("abcdefghij")); // wraps: holds the last 16 of 20 bytes
        assertEquals(120, log.end());
        assertEquals(105, log.first());
        assertArrayEquals(b("456789abcdefghij"), log.from(105));
        assertNull(log.from(104));
        log.append(b("ABCDEFGHIJKLMNOPQRSTUVWXYZ")); // longer than the ring
        assertEquals(146, log.end());
        assertArrayEquals(b("KLMNOPQRSTUVWXYZ"), log.from(131));
        log.resize(20);
        assertArrayEquals(b("KLMNOPQRSTUVWXYZ"), log.from(131), "a resize keeps the newest bytes");
        log.append(b("1234"));
        assertArrayEquals(b("KLMNOPQRSTUVWXYZ1234"), log.from(131));
        log.resize(16);
        assertArrayEquals(b("OPQRSTUVWXYZ1234"), log.from(135));
        assertNull(log.from(134));
    }
}
