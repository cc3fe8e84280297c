package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** String and key commands, reply for reply with Redis 7.0's, and their data across a restart. */
class StringAndKeyCommandsTest {

    @TempDir
    Path dir;

    @Test
    void stringCommands() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("$-1\r\n", c.call("GET", "k"));
            assertEquals("+OK\r\n", c.call("SET", "k", "v1"));
            assertEquals("$2\r\nv1\r\n", c.call("GET", "k"));
            assertEquals("$-1\r\n", c.call("SET", "k", "v2", "NX"));
            assertEquals("+OK\r\n", c.call("SET", "k", "v2", "XX"));
            assertEquals("$2\r\nv2\r\n", c.call("SET", "k", "v3", "GET"));
            assertEquals("-ERR syntax error\r\n", c.call("SET", "k", "v", "NX", "XX"));
            assertEquals("-ERR invalid expire time in 'set' command\r\n", c.call("SET", "k", "v", "EX", "0"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SET", "k", "v", "EX", "soon"));
            assertEquals(":1\r\n", c.call("SETNX", "n", "1"));
            assertEquals(":0\r\n", c.call("SETNX", "n", "2"));
            assertEquals(":2\r\n", c.call("INCR", "n"));
            assertEquals(":-3\r\n", c.call("DECRBY", "n", "5"));
            assertEquals("$4\r\n-2.5\r\n", c.call("INCRBYFLOAT", "n", "0.5"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("INCR", "n"));
            assertEquals("+OK\r\n", c.call("SET", "max", "9223372036854775807"));
            assertEquals("-ERR increment or decrement would overflow\r\n", c.call("INCR", "max"));
            assertEquals(":5\r\n", c.call("APPEND", "s", "hello"));
            assertEquals(":11\r\n", c.call("APPEND", "s", " world"));
            assertEquals("$5\r\nworld\r\n", c.call("GETRANGE", "s", "-5", "-1"));
            assertEquals(":11\r\n", c.call("SETRANGE", "s", "0", "J"));
            assertEquals("$11\r\nJello world\r\n", c.call("GET", "s"));
            assertEquals(":11\r\n", c.call("STRLEN", "s"));
            assertEquals("+OK\r\n", c.call("MSET", "a", "1", "b", "2"));
            assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n", c.call("MGET", "a", "b", "zz"));
            assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", c.call("MSET", "a", "1", "b"));
            assertEquals("$1\r\n1\r\n", c.call("GETDEL", "a"));
            assertEquals(":0\r\n", c.call("EXISTS", "a"));
        }
    }

    @Test
    void keysTypesRenameAndExpiry() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            c.call("MSET", "user:1", "a", "user:2", "b", "other", "c");
            assertEquals(":2\r\n", c.call("EXISTS", "user:1", "user:2", "nope"));
            assertEquals("+string\r\n", c.call("TYPE", "user:1"));
            assertEquals("+none\r\n", c.call("TYPE", "nope"));
            String keys = c.call("KEYS", "user:*");
            assertTrue(keys.startsWith("*2\r\n") && keys.contains("user:1") && keys.contains("user:2"), keys);
            assertEquals(":3\r\n", c.call("DBSIZE"));
            assertEquals("-ERR no such key\r\n", c.call("RENAME", "nope", "x"));
            assertEquals("+OK\r\n", c.call("RENAME", "other", "moved"));
            assertEquals("$1\r\nc\r\n", c.call("GET", "moved"));
            assertEquals(":0\r\n", c.call("RENAMENX", "moved", "user:1"));
            assertEquals(":-1\r\n", c.call("TTL", "moved"));
            assertEquals(":-2\r\n", c.call("TTL", "nope"));
            assertEquals(":1\r\n", c.call("EXPIRE", "moved", "100"));
            assertTrue(c.call("TTL", "moved").matches(":(99|100)\r\n"));
            assertEquals(":0\r\n", c.call("EXPIRE", "moved", "50", "GT"));
            assertEquals(":1\r\n", c.call("PERSIST", "moved"));
            assertEquals(":1\r\n", c.call("PEXPIRE", "user:2", "50"));
            Thread.sleep(120);
            assertEquals("$-1\r\n", c.call("GET", "user:2"), "expired lazily");
            assertEquals(":1\r\n", c.call("PEXPIRE", "user:1", "50"));
            Thread.sleep(400);
            assertEquals(":1\r\n", c.call("DBSIZE"), "expired by the active cycle");
            String scan = c.call("SCAN", "0", "COUNT", "100");
            assertTrue(scan.startsWith("*2\r\n$1\r\n0\r\n*1\r\n") && scan.contains("moved"), scan);
            assertEquals(":1\r\n", c.call("DEL", "moved", "nope"));
            c.call("SET", "x", "1");
            assertEquals("+OK\r\n", c.call("FLUSHDB"));
            assertEquals(":0\r\n", c.call("DBSIZE"));
        }
    }

    @Test
    void dataAndTtlsSurviveARestartAndDatabasesAreSeparate() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            c.call("SET", "k", "zero");
            c.call("SET", "t", "v", "EX", "1000");
            c.call("SELECT", "3");
            c.call("SET", "k", "three");
        }
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("$4\r\nzero\r\n", c.call("GET", "k"));
            assertTrue(c.call("TTL", "t").matches(":(999|1000)\r\n"));
            c.call("SELECT", "3");
            assertEquals("$5\r\nthree\r\n", c.call("GET", "k"));
        }
    }

    @Test
    void watchedKeysChangedByAnotherClientFailTheExec() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             TestServer.Client a = server.client(); TestServer.Client b = server.client()) {
            assertEquals("+OK\r\n", a.call("WATCH", "k"));
            assertEquals("+OK\r\n", b.call("SET", "k", "changed"));
            a.call("MULTI");
            a.call("SET", "k", "mine");
            assertEquals("*-1\r\n", a.call("EXEC"));
            assertEquals("$7\r\nchanged\r\n", a.call("GET", "k"));
            a.call("MULTI");
            a.call("INCR", "counter");
            a.call("SET", "k", "mine");
            assertEquals("*2\r\n:1\r\n+OK\r\n", a.call("EXEC"));
        }
    }

    /** The active expiry cycle goes on where it stopped: every expired key is removed in time, not only the first ones it meets. */
    @Test
    void activeExpiryReachesEveryExpiredKey() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                pipeline.append(TestServer.request("SET", "long:" + i, "v", "EX", "10000"));
            }
            for (int i = 0; i < 300; i++) {
                pipeline.append(TestServer.request("SET", "short:" + i, "v", "PX", "20"));
            }
            c.send(pipeline.toString());
            for (int i = 0; i < 1300; i++) {
                assertEquals("+OK\r\n", c.reply());
            }
            String size = "";
            for (int wait = 0; wait < 100 && !size.equals(":1000\r\n"); wait++) {
                Thread.sleep(50);
                size = c.call("DBSIZE");
            }
            assertEquals(":1000\r\n", size, "DBSIZE counts expired keys not yet removed: the cycle reached them all");
        }
    }
}
