package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sorted-set commands, reply for reply, and their data across a restart. */
class SortedSetCommandsTest {

    @TempDir
    Path dir;

    private static String bulks(String... items) {
        StringBuilder out = new StringBuilder("*").append(items.length).append("\r\n");
        for (String item : items) {
            out.append('$').append(item.length()).append("\r\n").append(item).append("\r\n");
        }
        return out.toString();
    }

    @Test
    void sortedSets() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals(":4\r\n", c.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "2.5", "d"));
            assertEquals(bulks("a", "1", "b", "2", "d", "2.5", "c", "3"), c.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
            assertEquals("$3\r\n2.5\r\n", c.call("ZSCORE", "z", "d"));
            assertEquals(":3\r\n", c.call("ZRANK", "z", "c"));
            assertEquals(":0\r\n", c.call("ZREVRANK", "z", "c"));
            assertEquals("$-1\r\n", c.call("ZRANK", "z", "nope"));
            assertEquals(":3\r\n", c.call("ZCOUNT", "z", "(1", "3"));
            assertEquals(bulks("d", "c"), c.call("ZRANGEBYSCORE", "z", "2", "+inf", "LIMIT", "1", "2"));
            assertEquals(bulks("c", "d", "b", "a"), c.call("ZRANGE", "z", "3", "1", "BYSCORE", "REV"));
            assertEquals(bulks("c", "d"), c.call("ZREVRANGE", "z", "0", "1"));
            assertEquals("$2\r\n11\r\n", c.call("ZINCRBY", "z", "10", "a"));
            assertEquals(":1\r\n", c.call("ZADD", "z", "XX", "CH", "0", "b"));
            assertEquals(":0\r\n", c.call("ZADD", "z", "GT", "-5", "b"), "GT refuses a lower score");
            assertEquals("$1\r\n7\r\n", c.call("ZADD", "z", "INCR", "7", "b"));
            assertEquals("-ERR XX and NX options at the same time are not compatible\r\n", c.call("ZADD", "z", "NX", "XX", "1", "a"));
            assertEquals("-ERR value is not a valid float\r\n", c.call("ZADD", "z", "x", "a"));
            assertEquals("-ERR min or max is not a float\r\n", c.call("ZCOUNT", "z", "x", "1"));
            assertEquals(bulks("d", "2.5"), c.call("ZPOPMIN", "z"));
            assertEquals(":1\r\n", c.call("ZREMRANGEBYSCORE", "z", "-inf", "3"));
            assertEquals(bulks("b", "7", "a", "11"), c.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
            assertEquals(":1\r\n", c.call("ZREMRANGEBYRANK", "z", "0", "0"));
            assertEquals(":1\r\n", c.call("ZREM", "z", "a", "nope"));
            assertEquals(":0\r\n", c.call("EXISTS", "z"), "an emptied sorted set is deleted");
        }
    }

    @Test
    void aLeaderboardSurvivesARestartInOrder() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            for (int i = 0; i < 300; i++) {
                c.call("ZADD", "board", Integer.toString((i * 37) % 300), "player" + i);
            }
        }
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals(":300\r\n", c.call("ZCARD", "board"));
            assertEquals("+zset\r\n", c.call("TYPE", "board"));
            for (int i = 0; i < 300; i += 29) {
                int score = (i * 37) % 300;
                assertEquals(":" + score + "\r\n", c.call("ZRANK", "board", "player" + i), "scores are 0..299, each once");
            }
            assertEquals(java.util.List.of(), server.heap.check());
        }
    }
}
