package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** List, hash and set commands, reply for reply, and their data across a restart. */
class CollectionCommandsTest {

    @TempDir
    Path dir;

    @Test
    void lists() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals(":3\r\n", c.call("RPUSH", "l", "a", "b", "c"));
            assertEquals(":4\r\n", c.call("LPUSH", "l", "z"));
            assertEquals("*4\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("LRANGE", "l", "0", "-1"));
            assertEquals("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("LRANGE", "l", "-2", "100"));
            assertEquals("*0\r\n", c.call("LRANGE", "l", "5", "10"));
            assertEquals("$1\r\nz\r\n", c.call("LPOP", "l"));
            assertEquals("*2\r\n$1\r\nc\r\n$1\r\nb\r\n", c.call("RPOP", "l", "2"));
            assertEquals("$1\r\na\r\n", c.call("LINDEX", "l", "-1"));
            assertEquals("-ERR index out of range\r\n", c.call("LSET", "l", "5", "x"));
            assertEquals("-ERR no such key\r\n", c.call("LSET", "nope", "0", "x"));
            assertEquals("$1\r\na\r\n", c.call("LPOP", "l"));
            assertEquals(":0\r\n", c.call("EXISTS", "l"), "an emptied list is deleted");
            assertEquals("$-1\r\n", c.call("LPOP", "l"));
            assertEquals("*-1\r\n", c.call("LPOP", "l", "2"));
            assertEquals(":0\r\n", c.call("LPUSHX", "l", "x"));
            c.call("RPUSH", "l", "x", "y", "x", "z", "x");
            assertEquals(":2\r\n", c.call("LREM", "l", "2", "x"));
            assertEquals(":4\r\n", c.call("LINSERT", "l", "AFTER", "z", "w"));
            assertEquals(":-1\r\n", c.call("LINSERT", "l", "BEFORE", "nope", "w"));
            assertEquals("+OK\r\n", c.call("LTRIM", "l", "1", "-1"));
            assertEquals("*3\r\n$1\r\nz\r\n$1\r\nw\r\n$1\r\nx\r\n", c.call("LRANGE", "l", "0", "-1"));
            assertEquals("$1\r\nx\r\n", c.call("LMOVE", "l", "other", "RIGHT", "LEFT"));
            assertEquals(":2\r\n", c.call("LLEN", "l"));
            c.call("SET", "s", "v");
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.call("LPUSH", "s", "x"));
        }
    }

    @Test
    void hashes() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals(":2\r\n", c.call("HSET", "h", "f1", "v1", "f2", "v2"));
            assertEquals(":0\r\n", c.call("HSET", "h", "f1", "v1b"));
            assertEquals("$3\r\nv1b\r\n", c.call("HGET", "h", "f1"));
            assertEquals("-ERR wrong number of arguments for 'hset' command\r\n", c.call("HSET", "h", "f1"));
            assertEquals(":0\r\n", c.call("HSETNX", "h", "f1", "x"));
            assertEquals("*2\r\n$2\r\nv2\r\n$-1\r\n", c.call("HMGET", "h", "f2", "nope"));
            assertEquals(":2\r\n", c.call("HLEN", "h"));
            assertEquals(":10\r\n", c.call("HINCRBY", "h", "n", "10"));
            assertEquals("-ERR hash value is not an integer\r\n", c.call("HINCRBY", "h", "f1", "1"));
            assertEquals("$4\r\n10.5\r\n", c.call("HINCRBYFLOAT", "h", "n", "0.5"));
            assertEquals(":1\r\n", c.call("HEXISTS", "h", "f2"));
            assertEquals(":3\r\n", c.call("HDEL", "h", "f1", "f2", "n", "nope"));
            assertEquals(":0\r\n", c.call("EXISTS", "h"));
        }
    }

    @Test
    void sets() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals(":3\r\n", c.call("SADD", "a", "x", "y", "z"));
            assertEquals(":0\r\n", c.call("SADD", "a", "x"));
            assertEquals(":1\r\n", c.call("SISMEMBER", "a", "y"));
            assertEquals("*2\r\n:1\r\n:0\r\n", c.call("SMISMEMBER", "a", "z", "w"));
            c.call("SADD", "b", "y", "z", "w");
            assertEquals(":2\r\n", c.call("SINTERSTORE", "i", "a", "b"));
            assertEquals(":4\r\n", c.call("SUNIONSTORE", "u", "a", "b"));
            assertEquals("*1\r\n$1\r\nx\r\n", c.call("SDIFF", "a", "b"));
            assertEquals(":1\r\n", c.call("SMOVE", "a", "b", "x"));
            assertEquals(":4\r\n", c.call("SCARD", "b"));
            assertEquals(":2\r\n", c.call("SREM", "a", "y", "z"));
            assertEquals(":0\r\n", c.call("EXISTS", "a"));
            String popped = c.call("SPOP", "i");
            assertTrue(popped.equals("$1\r\ny\r\n") || popped.equals("$1\r\nz\r\n"), popped);
        }
    }

    @Test
    void collectionsSurviveARestart() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            c.call("RPUSH", "l", "1", "2", "3");
            c.call("HSET", "h", "k", "v");
            c.call("SADD", "s", "m");
        }
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", c.call("LRANGE", "l", "0", "-1"));
            assertEquals("$1\r\nv\r\n", c.call("HGET", "h", "k"));
            assertEquals(":1\r\n", c.call("SISMEMBER", "s", "m"));
            assertEquals("+list\r\n", c.call("TYPE", "l"));
            assertEquals("+hash\r\n", c.call("TYPE", "h"));
            assertEquals("+set\r\n", c.call("TYPE", "s"));
            assertEquals(java.util.List.of(), server.heap.check());
        }
    }

    @Test
    void deletingOrEmptyingAKeyFreesEveryBlockOfItsValue() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            c.call("SET", "warm", "up");
            c.call("DEL", "warm");
            long baseline = server.heap.allocationStats().allocatedBlocks();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 50; i++) {
                    c.call("RPUSH", "l", "e" + i);
                    c.call("HSET", "h", "f" + i, "v" + i);
                    c.call("SADD", "s", "m" + i);
                    c.call("ZADD", "z", Integer.toString(i), "m" + i);
                    c.call("SET", "str" + i, "v");
                }
                assertTrue(server.heap.allocationStats().allocatedBlocks() > baseline + 200);
                c.call("DEL", "l", "h", "s", "z");
                for (int i = 0; i < 50; i++) {
                    c.call("DEL", "str" + i);
                }
                assertEquals(baseline, server.heap.allocationStats().allocatedBlocks(), "round " + round + ": nothing leaked");
            }
            c.call("RPUSH", "l2", "x");
            c.call("LPOP", "l2");
            c.call("ZADD", "z2", "1", "a");
            c.call("ZPOPMIN", "z2");
            c.call("SADD", "s2", "a");
            c.call("SPOP", "s2");
            assertEquals(baseline, server.heap.allocationStats().allocatedBlocks(), "emptied collections are freed with their key");
        }
    }
}
