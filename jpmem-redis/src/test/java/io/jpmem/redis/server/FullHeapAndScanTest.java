package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full heap gives -OOM with nothing partly written; HSCAN/SSCAN/ZSCAN walk a whole collection. */
class FullHeapAndScanTest {

    @TempDir
    Path dir;

    @Test
    void aFullHeapRepliesOomAndWritesNothingOfTheFailedCommand() throws Exception {
        String value = "x".repeat(900_000);
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            int stored = 0;
            String reply = "";
            while (stored < 100) {
                reply = c.call("SET", "big" + stored, value);
                if (!reply.equals("+OK\r\n")) {
                    break;
                }
                stored++;
            }
            assertEquals("-OOM command not allowed when used memory > 'maxmemory'.\r\n", reply, "a 16 MiB heap fills up");
            assertTrue(stored > 3, "some values fitted: " + stored);
            assertEquals("$-1\r\n", c.call("GET", "big" + stored), "the failed SET left nothing");
            assertEquals(":" + stored + "\r\n", c.call("DBSIZE"));
            c.call("MULTI");
            c.call("SET", "small", "1");
            c.call("SET", "huge", value);
            assertTrue(c.call("EXEC").startsWith("-OOM"), "the whole block fails");
            assertEquals("$-1\r\n", c.call("GET", "small"), "nothing of the block was written");
            assertEquals(":1\r\n", c.call("DEL", "big0"));
            assertEquals("+OK\r\n", c.call("SET", "after", value), "space freed by DEL is usable again");
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals(List.of(), server.heap.check());
        }
    }

    private static Set<String> scanAll(TestServer.Client c, String command, String key, int step) throws Exception {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String[] lines = c.call(command, key, cursor, "COUNT", "7").split("\r\n");
            cursor = lines[2];
            for (int i = 5; i < lines.length; i += 2 * step) {
                seen.add(lines[i]);
            }
            calls++;
        } while (!cursor.equals("0") && calls < 1000);
        return seen;
    }

    @Test
    void scanCommandsReturnEveryElementOnce() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                c.call("HSET", "h", "f" + i, "v" + i);
                c.call("SADD", "s", "f" + i);
                c.call("ZADD", "z", Integer.toString(i), "f" + i);
                expected.add("f" + i);
            }
            assertEquals(expected, scanAll(c, "HSCAN", "h", 2));
            assertEquals(expected, scanAll(c, "SSCAN", "s", 1));
            assertEquals(expected, scanAll(c, "ZSCAN", "z", 2));
            String matched = c.call("SSCAN", "s", "0", "MATCH", "f1*", "COUNT", "100");
            assertEquals(11, matched.split("\r\n").length / 2 - 2, matched);
            assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("HSCAN", "nope", "0"));
        }
    }
}
