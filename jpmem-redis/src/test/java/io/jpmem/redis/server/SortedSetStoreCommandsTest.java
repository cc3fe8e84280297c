package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZUNION, ZINTER, ZDIFF and ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, ZRANGESTORE: replies as Debian's
 * redis-server 7.0.15 gives them (recorded from it), WATCH sees the destination change and not the
 * inputs, a replaced destination's blocks are freed, the results survive a restart, and a store that
 * does not fit in the heap changes nothing.
 */
class SortedSetStoreCommandsTest {

    @TempDir
    Path dir;

    @Test
    void unionInterDiffLikeRedis() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("+OK\r\n", c.call("flushall"));
            assertEquals(":3\r\n", c.call("zadd", "a", "1", "x", "2", "y", "3", "z"));
            assertEquals(":3\r\n", c.call("zadd", "b", "10", "y", "20", "z", "30", "w"));
            assertEquals(":3\r\n", c.call("sadd", "s", "x", "w", "q"));
            assertEquals("+OK\r\n", c.call("set", "str", "v"));
            assertEquals(":4\r\n", c.call("zunionstore", "d", "2", "a", "b"));
            assertEquals("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":2\r\n", c.call("zinterstore", "d", "2", "a", "b"));
            assertEquals("*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":5\r\n", c.call("zunionstore", "d", "3", "a", "b", "s", "weights", "1", "2", "3"));
            assertEquals("*10\r\n$1\r\nq\r\n$1\r\n3\r\n$1\r\nx\r\n$1\r\n4\r\n$1\r\ny\r\n$2\r\n22\r\n$1\r\nz\r\n$2\r\n43\r\n$1\r\nw\r\n$2\r\n63\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":4\r\n", c.call("zunionstore", "d", "2", "a", "b", "aggregate", "min"));
            assertEquals("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\nw\r\n$2\r\n30\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":4\r\n", c.call("zunionstore", "d", "2", "a", "b", "aggregate", "MAX", "weights", "2", "-1"));
            assertEquals("*8\r\n$1\r\nw\r\n$3\r\n-30\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n4\r\n$1\r\nz\r\n$1\r\n6\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":1\r\n", c.call("zinterstore", "d", "2", "a", "s"));
            assertEquals("*2\r\n$1\r\nx\r\n$1\r\n2\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":0\r\n", c.call("zinterstore", "d", "2", "a", "nokey"));
            assertEquals(":0\r\n", c.call("exists", "d"));
            assertEquals("-ERR at least 1 input key is needed for 'zunionstore' command\r\n", c.call("zunionstore", "d", "0", "a"));
            assertEquals("-ERR at least 1 input key is needed for 'zunionstore' command\r\n", c.call("zunionstore", "d", "-1", "a"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zunionstore", "d", "x", "a"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "3", "a", "b"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "1", "a", "b"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "2", "a", "b", "weights", "1"));
            assertEquals("-ERR weight value is not a float\r\n", c.call("zunionstore", "d", "2", "a", "b", "weights", "1", "x"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "2", "a", "b", "aggregate", "foo"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "2", "a", "b", "aggregate"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "2", "a", "b", "withscores"));
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.call("zunionstore", "d", "2", "a", "str"));
            assertEquals(":4\r\n", c.call("zunionstore", "str", "2", "a", "b"));
            assertEquals("+zset\r\n", c.call("type", "str"));
            assertEquals(":4\r\n", c.call("zunionstore", "d", "2", "a", "b", "weights", "1", "2", "weights", "3", "4"));
            assertEquals("*8\r\n$1\r\nx\r\n$1\r\n3\r\n$1\r\ny\r\n$2\r\n46\r\n$1\r\nz\r\n$2\r\n89\r\n$1\r\nw\r\n$3\r\n120\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":3\r\n", c.call("zunionstore", "d", "1", "a", "weights", "inf"));
            assertEquals("*6\r\n$1\r\nx\r\n$3\r\ninf\r\n$1\r\ny\r\n$3\r\ninf\r\n$1\r\nz\r\n$3\r\ninf\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":1\r\n", c.call("zadd", "inf1", "inf", "x"));
            assertEquals(":1\r\n", c.call("zadd", "ninf", "-inf", "x"));
            assertEquals(":1\r\n", c.call("zunionstore", "d", "2", "inf1", "ninf"));
            assertEquals("*2\r\n$1\r\nx\r\n$1\r\n0\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":1\r\n", c.call("zinterstore", "d", "2", "inf1", "ninf"));
            assertEquals("*2\r\n$1\r\nx\r\n$1\r\n0\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":1\r\n", c.call("zinterstore", "d", "2", "inf1", "ninf", "aggregate", "min"));
            assertEquals("*2\r\n$1\r\nx\r\n$4\r\n-inf\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":1\r\n", c.call("zinterstore", "d", "2", "inf1", "ninf", "weights", "0", "1", "aggregate", "max"));
            assertEquals("*2\r\n$1\r\nx\r\n$1\r\n0\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":1\r\n", c.call("zinterstore", "d", "2", "inf1", "ninf", "weights", "1", "0", "aggregate", "min"));
            assertEquals("*2\r\n$1\r\nx\r\n$3\r\ninf\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":3\r\n", c.call("zunionstore", "d", "1", "a", "weights", "0"));
            assertEquals("*6\r\n$1\r\nx\r\n$1\r\n0\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals("-ERR weight value is not a float\r\n", c.call("zunionstore", "d", "1", "a", "weights", "nan"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "2", "a"));
            assertEquals("-ERR wrong number of arguments for 'zunionstore' command\r\n", c.call("zunionstore", "d"));
            assertEquals("-ERR wrong number of arguments for 'zinterstore' command\r\n", c.call("zinterstore", "d", "1"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "1", "a", "foo"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "1", "a", "weights"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "9999999999", "a"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "2147483648", "a"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "2", "a", "str", "weights", "x"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "2", "a", "str", "foo"));
            assertEquals("-ERR syntax error\r\n", c.call("zunionstore", "d", "3", "a", "str"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zunionstore", "d", "x", "a", "str"));
            assertEquals("*4\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n", c.call("zunion", "2", "a", "b"));
            assertEquals("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n", c.call("zunion", "2", "a", "b", "withscores"));
            assertEquals("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n20\r\n$1\r\nz\r\n$2\r\n40\r\n$1\r\nw\r\n$2\r\n60\r\n", c.call("zunion", "2", "a", "b", "withscores", "weights", "1", "2", "aggregate", "max"));
            assertEquals("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n", c.call("zunion", "2", "a", "b", "withscores", "withscores"));
            assertEquals("*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n", c.call("zinter", "2", "a", "b", "withscores"));
            assertEquals("*2\r\n$1\r\nx\r\n$1\r\n2\r\n", c.call("zinter", "2", "a", "s", "withscores"));
            assertEquals("*2\r\n$1\r\nx\r\n$1\r\n1\r\n", c.call("zdiff", "2", "a", "b", "withscores"));
            assertEquals("*2\r\n$1\r\ny\r\n$1\r\nz\r\n", c.call("zdiff", "2", "a", "s"));
            assertEquals("-ERR syntax error\r\n", c.call("zdiff", "2", "a", "b", "weights", "1", "2"));
            assertEquals("-ERR syntax error\r\n", c.call("zdiff", "2", "a", "b", "aggregate", "sum"));
            assertEquals("*0\r\n", c.call("zdiff", "1", "nokey"));
            assertEquals("-ERR at least 1 input key is needed for 'zdiff' command\r\n", c.call("zdiff", "0", "a"));
            assertEquals("-ERR at least 1 input key is needed for 'zunion' command\r\n", c.call("zunion", "0", "a"));
            assertEquals(":1\r\n", c.call("zdiffstore", "d", "2", "a", "b"));
            assertEquals("*2\r\n$1\r\nx\r\n$1\r\n1\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":0\r\n", c.call("zdiffstore", "d", "2", "a", "a"));
            assertEquals(":0\r\n", c.call("exists", "d"));
            assertEquals(":0\r\n", c.call("zdiffstore", "d", "2", "a", "str"));
            assertEquals(":0\r\n", c.call("zdiffstore", "d", "2", "nokey", "str"));
            assertEquals("*0\r\n", c.call("zdiff", "2", "a", "str"));
            assertEquals("*0\r\n", c.call("zdiff", "2", "nokey", "str"));
            assertEquals("*0\r\n", c.call("zinter", "2", "nokey", "str"));
            assertEquals("-ERR syntax error\r\n", c.call("zunion", "1", "a", "withscores", "x"));
            assertEquals("-ERR wrong number of arguments for 'zunion' command\r\n", c.call("zunion"));
            assertEquals("-ERR wrong number of arguments for 'zunion' command\r\n", c.call("zunion", "1"));
            assertEquals("-ERR wrong number of arguments for 'zdiffstore' command\r\n", c.call("zdiffstore", "d", "1"));
            assertEquals(":3\r\n", c.call("zdiffstore", "d", "1", "s"));
            assertEquals("*6\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nw\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":2\r\n", c.call("zinterstore", "a", "2", "a", "b"));
            assertEquals("*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n", c.call("zrange", "a", "0", "-1", "withscores"));
            assertEquals(":3\r\n", c.call("zadd", "t", "1", "a", "1", "b", "1", "c"));
            assertEquals(":2\r\n", c.call("sadd", "t2", "c", "a"));
            assertEquals("*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n5\r\n", c.call("zinter", "2", "t", "t2", "weights", "2", "3", "withscores"));
            assertEquals("*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n5\r\n", c.call("zinter", "2", "t2", "t", "weights", "2", "3", "withscores"));
            assertEquals("*6\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nb\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n5\r\n", c.call("zunion", "2", "t", "t", "weights", "2", "3", "withscores"));
            assertEquals("*6\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\nc\r\n$1\r\n3\r\n", c.call("zinter", "2", "t", "t", "weights", "2", "3", "withscores", "aggregate", "max"));
            assertEquals(":2\r\n", c.call("zadd", "neg", "-1", "m", "1", "n"));
            assertEquals("*4\r\n$1\r\nn\r\n$4\r\n-0.5\r\n$1\r\nm\r\n$3\r\n0.5\r\n", c.call("zunion", "1", "neg", "weights", "-0.5", "withscores"));
            assertEquals("-ERR weight value is not a float\r\n", c.call("zunion", "1", "neg", "weights", "1e400", "withscores"));
            assertEquals("*4\r\n$1\r\nm\r\n$5\r\n-1500\r\n$1\r\nn\r\n$4\r\n1500\r\n", c.call("zunion", "1", "neg", "weights", "1.5e3", "withscores"));
            assertEquals(":1\r\n", c.call("pexpire", "b", "100000"));
            assertEquals(":2\r\n", c.call("zunionstore", "b", "1", "a"));
            assertEquals(":-1\r\n", c.call("pttl", "b"));
            c.call("hello", "3");
            assertEquals("*2\r\n*2\r\n$1\r\ny\r\n,24\r\n*2\r\n$1\r\nz\r\n,46\r\n", c.call("zunion", "2", "a", "b", "withscores"));
            assertEquals("*2\r\n$1\r\ny\r\n$1\r\nz\r\n", c.call("zunion", "2", "a", "b"));
            assertEquals("*0\r\n", c.call("zdiff", "2", "a", "b", "withscores"));
            assertEquals("*2\r\n*2\r\n$1\r\ny\r\n,12\r\n*2\r\n$1\r\nz\r\n,23\r\n", c.call("zinter", "1", "a", "withscores"));
            assertEquals("*3\r\n*2\r\n$1\r\nq\r\n,1\r\n*2\r\n$1\r\nw\r\n,1\r\n*2\r\n$1\r\nx\r\n,1\r\n", c.call("zdiff", "1", "s", "withscores"));
            assertEquals("-ERR value is not a valid float\r\n", c.call("zadd", "fz", "1e400", "a"));
            assertEquals("-ERR value is not a valid float\r\n", c.call("zadd", "fz", "1e-400", "a"));
            assertEquals(":1\r\n", c.call("zadd", "fz", "0e5", "a"));
            assertEquals(":0\r\n", c.call("zadd", "fz", "0.0000e-400", "a"));
            assertEquals(":0\r\n", c.call("zadd", "fz", "4e-320", "a"));
            assertEquals("-ERR value is not a valid float\r\n", c.call("zincrby", "fz", "1e400", "a"));
            assertEquals("-ERR weight value is not a float\r\n", c.call("zunion", "1", "fz", "weights", "1e-400"));
            assertEquals("*1\r\n*2\r\n$1\r\na\r\n,0\r\n", c.call("zunion", "1", "fz", "weights", "1e-300", "withscores"));
        }
    }

    /** {@return EXEC's reply after {@code other} ran {@code command} while {@code watcher} watched {@code key}} */
    static String execAfter(TestServer.Client watcher, TestServer.Client other, String key, String... command) throws Exception {
        assertEquals("+OK\r\n", watcher.call("WATCH", key));
        assertEquals("+OK\r\n", watcher.call("MULTI"));
        assertEquals("+QUEUED\r\n", watcher.call("PING"));
        other.call(command);
        return watcher.call("EXEC");
    }

    @Test
    void watchSeesTheDestinationChangeNotTheInputs() throws Exception {
        String aborted = "*-1\r\n";
        String ran = "*1\r\n+PONG\r\n";
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             TestServer.Client w = server.client(); TestServer.Client c = server.client()) {
            c.call("ZADD", "src", "1", "a", "2", "b");
            assertEquals(ran, execAfter(w, c, "src", "ZUNIONSTORE", "dst", "1", "src"), "an input is only read");
            assertEquals(aborted, execAfter(w, c, "dst", "ZUNIONSTORE", "dst", "1", "src"));
            assertEquals(aborted, execAfter(w, c, "dst", "ZINTERSTORE", "dst", "2", "src", "nokey"), "emptied: deleted");
            assertEquals(ran, execAfter(w, c, "dst", "ZINTERSTORE", "dst", "2", "src", "nokey"), "nothing to delete: no change");
            assertEquals(aborted, execAfter(w, c, "dst", "ZDIFFSTORE", "dst", "1", "src"));
            assertEquals(ran, execAfter(w, c, "src", "ZRANGESTORE", "dst", "src", "0", "-1"), "the source is only read");
            assertEquals(aborted, execAfter(w, c, "dst", "ZRANGESTORE", "dst", "src", "0", "-1"));
            assertEquals(ran, execAfter(w, c, "src", "ZREMRANGEBYLEX", "src", "[x", "+"), "nothing removed: no change");
            assertEquals(aborted, execAfter(w, c, "src", "ZREMRANGEBYLEX", "src", "-", "+"));
        }
    }

    @Test
    void replacedAndDeletedDestinationsLeakNothing() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            c.call("SET", "warm", "up");
            c.call("DEL", "warm");
            long baseline = server.heap.allocationStats().allocatedBlocks();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 40; i++) {
                    c.call("ZADD", "a", Integer.toString(i), "m" + i);
                    c.call("ZADD", "b", Integer.toString(2 * i), "m" + (2 * i));
                    c.call("SADD", "s", "m" + (3 * i));
                }
                c.call("RPUSH", "d", "a list to replace");
                assertEquals(":60\r\n", c.call("ZUNIONSTORE", "d", "2", "a", "b"));
                assertEquals(":60\r\n", c.call("ZUNIONSTORE", "d", "2", "b", "a", "WEIGHTS", "2", "3"));
                assertEquals(":20\r\n", c.call("ZINTERSTORE", "d", "2", "a", "b"));
                assertEquals(":14\r\n", c.call("ZINTERSTORE", "d", "2", "a", "s", "AGGREGATE", "MAX"));
                assertEquals(":20\r\n", c.call("ZDIFFSTORE", "d", "2", "a", "b"));
                assertEquals(":10\r\n", c.call("ZRANGESTORE", "d", "a", "5", "14"));
                assertEquals(":40\r\n", c.call("ZINTERSTORE", "a", "2", "a", "a"), "a destination that is also an input");
                c.call("HSET", "h", "f", "v");
                assertEquals(":40\r\n", c.call("ZUNIONSTORE", "h", "1", "b"), "a hash replaced");
                assertEquals(":0\r\n", c.call("ZINTERSTORE", "d", "2", "a", "nokey"), "an empty result deletes");
                assertEquals(":0\r\n", c.call("EXISTS", "d"));
                assertEquals(":0\r\n", c.call("ZRANGESTORE", "h", "a", "100", "200"));
                assertEquals(":0\r\n", c.call("EXISTS", "h"));
                assertEquals(":40\r\n", c.call("ZREMRANGEBYLEX", "a", "-", "+"));
                assertEquals(":0\r\n", c.call("EXISTS", "a"), "emptied: deleted");
                assertTrue(server.heap.allocationStats().allocatedBlocks() > baseline + 100);
                c.call("DEL", "a", "b", "s");
                assertEquals(baseline, server.heap.allocationStats().allocatedBlocks(), "round " + round + ": nothing leaked");
            }
            assertEquals(List.of(), server.heap.check());
        }
    }

    @Test
    void storedResultsSurviveARestart() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            c.call("ZADD", "a", "1", "x", "2", "y");
            c.call("SADD", "s", "y", "z");
            c.call("SET", "u", "old");
            c.call("PEXPIRE", "u", "100000");
            assertEquals(":3\r\n", c.call("ZUNIONSTORE", "u", "2", "a", "s", "WEIGHTS", "10", "1"));
            assertEquals(":1\r\n", c.call("ZRANGESTORE", "r", "u", "(10", "+inf", "BYSCORE", "LIMIT", "0", "1"));
        }
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("*6\r\n$1\r\nz\r\n$1\r\n1\r\n$1\r\nx\r\n$2\r\n10\r\n$1\r\ny\r\n$2\r\n21\r\n",
                    c.call("ZRANGE", "u", "0", "-1", "WITHSCORES"));
            assertEquals(":-1\r\n", c.call("PTTL", "u"), "a stored destination has no expiry");
            assertEquals("*2\r\n$1\r\ny\r\n$2\r\n21\r\n", c.call("ZRANGE", "r", "0", "-1", "WITHSCORES"));
            assertEquals(List.of(), server.heap.check());
        }
    }

    @Test
    void aStoreThatDoesNotFitChangesNothing() throws Exception {
        String pad = "p".repeat(8_000);
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            for (int i = 0; i < 300; i++) {
                assertEquals(":1\r\n", c.call("ZADD", "big", Integer.toString(i), pad + i));
            }
            c.call("ZADD", "d", "1", "keep");
            assertTrue(c.fillHeap(), "the heap fills up");
            assertTrue(c.call("ZUNIONSTORE", "d", "1", "big").startsWith("-OOM"));
            assertEquals("*2\r\n$4\r\nkeep\r\n$1\r\n1\r\n", c.call("ZRANGE", "d", "0", "-1", "WITHSCORES"), "the destination is untouched");
            assertTrue(c.call("ZRANGESTORE", "d", "big", "0", "-1").startsWith("-OOM"));
            assertEquals(":1\r\n", c.call("ZCARD", "d"));
            assertEquals(":300\r\n", c.call("ZCARD", "big"));
            assertEquals(List.of(), server.heap.check());
        }
    }
}
