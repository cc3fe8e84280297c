package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sorted-set range commands reply for reply as Debian's redis-server 7.0.15 does (the expected
 * replies were recorded from it): ZLEXCOUNT, ZRANGEBYLEX, ZREVRANGEBYLEX, ZREMRANGEBYLEX, and the
 * options of ZRANGE, ZREVRANGE, Z[REV]RANGEBYSCORE and ZRANGESTORE (BYSCORE, BYLEX, REV, LIMIT,
 * WITHSCORES), errors and wrong types included.
 */
class SortedSetRangeCommandsTest {

    @TempDir
    Path dir;

    @Test
    void lexicographicRanges() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("+OK\r\n", c.call("flushall"));
            assertEquals(":5\r\n", c.call("zadd", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"));
            assertEquals(":5\r\n", c.call("zlexcount", "z", "-", "+"));
            assertEquals(":2\r\n", c.call("zlexcount", "z", "[b", "(d"));
            assertEquals("-ERR min or max not valid string range item\r\n", c.call("zlexcount", "z", "a", "b"));
            assertEquals("-ERR wrong number of arguments for 'zlexcount' command\r\n", c.call("zlexcount", "z", "[b"));
            assertEquals(":0\r\n", c.call("zlexcount", "nokey", "-", "+"));
            assertEquals("-ERR min or max not valid string range item\r\n", c.call("zlexcount", "nokey", "a", "b"));
            assertEquals(":0\r\n", c.call("zlexcount", "z", "(a", "(a"));
            assertEquals(":1\r\n", c.call("zlexcount", "z", "[a", "[a"));
            assertEquals(":0\r\n", c.call("zlexcount", "z", "[c", "[a"));
            assertEquals(":5\r\n", c.call("zlexcount", "z", "[", "+"));
            assertEquals(":5\r\n", c.call("zlexcount", "z", "(", "+"));
            assertEquals(":0\r\n", c.call("zlexcount", "z", "-", "["));
            assertEquals("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("zrangebylex", "z", "-", "+", "LIMIT", "1", "2"));
            assertEquals("-ERR syntax error\r\n", c.call("zrangebylex", "z", "-", "+", "LIMIT", "1"));
            assertEquals("*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", c.call("zrangebylex", "z", "-", "+", "LIMIT", "1", "-1"));
            assertEquals("*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", c.call("zrangebylex", "z", "-", "+", "LIMIT", "1", "-5"));
            assertEquals("*0\r\n", c.call("zrangebylex", "z", "-", "+", "LIMIT", "-1", "2"));
            assertEquals("*0\r\n", c.call("zrangebylex", "z", "-", "+", "LIMIT", "0", "0"));
            assertEquals("*0\r\n", c.call("zrangebylex", "z", "-", "+", "LIMIT", "5", "1"));
            assertEquals("*1\r\n$1\r\ne\r\n", c.call("zrangebylex", "z", "-", "+", "LIMIT", "4", "1"));
            assertEquals("*0\r\n", c.call("zrangebylex", "z", "[c", "+", "LIMIT", "3", "1"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zrangebylex", "z", "-", "+", "limit", "x", "1"));
            assertEquals("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", c.call("zrangebylex", "z", "-", "+", "WITHSCORES"));
            assertEquals("-ERR syntax error\r\n", c.call("zrangebylex", "z", "-", "+", "foo"));
            assertEquals("*0\r\n", c.call("zrangebylex", "z", "+", "-"));
            assertEquals("*0\r\n", c.call("zrangebylex", "z", "-", "-"));
            assertEquals("*0\r\n", c.call("zrangebylex", "z", "+", "+"));
            assertEquals("*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", c.call("zrevrangebylex", "z", "+", "-"));
            assertEquals("*2\r\n$1\r\nc\r\n$1\r\nb\r\n", c.call("zrevrangebylex", "z", "(d", "[b"));
            assertEquals("*2\r\n$1\r\nd\r\n$1\r\nc\r\n", c.call("zrevrangebylex", "z", "+", "-", "LIMIT", "1", "2"));
            assertEquals("*0\r\n", c.call("zrevrangebylex", "z", "-", "+"));
            assertEquals("-ERR syntax error\r\n", c.call("zrevrangebylex", "z", "+", "-", "rev"));
            assertEquals("-ERR syntax error\r\n", c.call("zrangebylex", "z", "-", "+", "rev"));
            assertEquals("-ERR syntax error\r\n", c.call("zrangebylex", "z", "-", "+", "bylex"));
            assertEquals("*0\r\n", c.call("zrange", "z", "-", "+", "bylex", "rev"));
            assertEquals("*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", c.call("zrange", "z", "+", "-", "bylex", "rev"));
            assertEquals("*2\r\n$1\r\nd\r\n$1\r\nc\r\n", c.call("zrange", "z", "+", "-", "bylex", "rev", "limit", "1", "2"));
            assertEquals("*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", c.call("zrange", "z", "[b", "[d", "bylex", "limit", "0", "-1"));
            assertEquals(":2\r\n", c.call("zremrangebylex", "z", "[b", "(d"));
            assertEquals("*3\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\ne\r\n", c.call("zrange", "z", "0", "-1"));
            assertEquals("-ERR min or max not valid string range item\r\n", c.call("zremrangebylex", "z", "a", "b"));
            assertEquals("-ERR min or max not valid string range item\r\n", c.call("zremrangebylex", "nokey", "a", "b"));
            assertEquals(":0\r\n", c.call("zremrangebylex", "nokey", "-", "+"));
            assertEquals(":3\r\n", c.call("zremrangebylex", "z", "-", "+"));
            assertEquals(":0\r\n", c.call("exists", "z"));
            assertEquals("+OK\r\n", c.call("set", "s", "x"));
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.call("zlexcount", "s", "-", "+"));
            assertEquals("-ERR min or max not valid string range item\r\n", c.call("zlexcount", "s", "a", "b"));
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.call("zrangebylex", "s", "-", "+"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zrangebylex", "s", "-", "+", "limit", "1", "x"));
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.call("zremrangebylex", "s", "-", "+"));
            assertEquals("-ERR wrong number of arguments for 'zlexcount' command\r\n", c.call("zlexcount", "z"));
            assertEquals("-ERR wrong number of arguments for 'zrangebylex' command\r\n", c.call("zrangebylex", "z", "-"));
            assertEquals("*0\r\n", c.call("zrangebylex", "z", "-", "+", "LIMIT", "0", "1", "LIMIT", "1", "1"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zrangebylex", "nokey", "-", "+", "LIMIT", "0", "x"));
            assertEquals("-ERR syntax error\r\n", c.call("zrangebylex", "nokey", "-", "+", "LIMIT", "0", "1", "foo"));
            assertEquals("-ERR min or max not valid string range item\r\n", c.call("zlexcount", "z", "+a", "-"));
            assertEquals("-ERR min or max not valid string range item\r\n", c.call("zlexcount", "z", "", "+"));
            assertEquals(":6\r\n", c.call("zadd", "u", "0", "", "0", "A", "0", "a", "0", "ab", "0", "b", "0", "é"));
            assertEquals("*6\r\n$0\r\n\r\n$1\r\nA\r\n$1\r\na\r\n$2\r\nab\r\n$1\r\nb\r\n$2\r\né\r\n", c.call("zrangebylex", "u", "-", "+"));
            assertEquals("*3\r\n$1\r\na\r\n$2\r\nab\r\n$1\r\nb\r\n", c.call("zrangebylex", "u", "[a", "[b"));
            assertEquals("*2\r\n$2\r\nab\r\n$1\r\nb\r\n", c.call("zrangebylex", "u", "(a", "[b"));
            assertEquals("*2\r\n$0\r\n\r\n$1\r\nA\r\n", c.call("zrangebylex", "u", "[", "(a"));
            assertEquals("*3\r\n$2\r\nab\r\n$1\r\nb\r\n$2\r\né\r\n", c.call("zrangebylex", "u", "(a", "+"));
            assertEquals(":1\r\n", c.call("zlexcount", "u", "[ab", "[ab"));
            assertEquals(":1\r\n", c.call("zremrangebylex", "u", "(", "[A"));
            assertEquals("*5\r\n$0\r\n\r\n$1\r\na\r\n$2\r\nab\r\n$1\r\nb\r\n$2\r\né\r\n", c.call("zrangebylex", "u", "-", "+"));
        }
    }

    @Test
    void rangeOptionsAndZrangestore() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("+OK\r\n", c.call("flushall"));
            assertEquals(":5\r\n", c.call("zadd", "a", "1", "x", "2", "y", "3", "z", "4", "w", "5", "v"));
            assertEquals(":4\r\n", c.call("zadd", "l", "0", "a", "0", "b", "0", "c", "0", "d"));
            assertEquals("+OK\r\n", c.call("set", "str", "v"));
            assertEquals(":5\r\n", c.call("zrangestore", "d", "a", "0", "-1"));
            assertEquals("*10\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\nw\r\n$1\r\n4\r\n$1\r\nv\r\n$1\r\n5\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals("-ERR syntax error\r\n", c.call("zrangestore", "d", "a", "0", "1", "withscores"));
            assertEquals(":4\r\n", c.call("zrangestore", "d", "a", "(1", "+inf", "byscore"));
            assertEquals(":1\r\n", c.call("zrangestore", "d", "a", "+inf", "(1", "byscore", "rev", "limit", "0", "1"));
            assertEquals("*2\r\n$1\r\nv\r\n$1\r\n5\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":3\r\n", c.call("zrangestore", "d", "l", "[b", "+", "bylex"));
            assertEquals("*6\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\nd\r\n$1\r\n0\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":2\r\n", c.call("zrangestore", "d", "l", "+", "[b", "bylex", "rev", "limit", "1", "5"));
            assertEquals("*4\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n0\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals(":0\r\n", c.call("zrangestore", "d", "a", "5", "6"));
            assertEquals(":0\r\n", c.call("exists", "d"));
            assertEquals(":0\r\n", c.call("zrangestore", "d", "nokey", "0", "-1"));
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.call("zrangestore", "d", "str", "0", "-1"));
            assertEquals(":0\r\n", c.call("zrangestore", "d", "a", "0", "-1", "byscore"));
            assertEquals("*0\r\n", c.call("zrange", "d", "0", "-1", "withscores"));
            assertEquals("-ERR wrong number of arguments for 'zrangestore' command\r\n", c.call("zrangestore", "d", "a", "0"));
            assertEquals("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", c.call("zrangestore", "d", "a", "0", "-1", "limit", "0", "1"));
            assertEquals("*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", c.call("zrange", "l", "[b", "+", "bylex"));
            assertEquals("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", c.call("zrange", "l", "[b", "+", "bylex", "withscores"));
            assertEquals("-ERR min or max not valid string range item\r\n", c.call("zrange", "l", "b", "+", "bylex"));
            assertEquals("*1\r\n$1\r\nc\r\n", c.call("zrange", "l", "+", "[b", "bylex", "rev", "limit", "1", "1"));
            assertEquals("-ERR syntax error\r\n", c.call("zrange", "l", "[b", "+", "bylex", "limit", "1"));
            assertEquals("-ERR syntax error\r\n", c.call("zrange", "l", "0", "-1", "byscore", "bylex"));
            assertEquals("-ERR syntax error\r\n", c.call("zrange", "l", "0", "-1", "bylex", "byscore"));
            assertEquals("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", c.call("zrange", "a", "0", "-1", "limit", "0", "1"));
            assertEquals("*5\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n$1\r\nv\r\n", c.call("zrange", "a", "0", "-1", "limit", "0", "-1"));
            assertEquals("*5\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n$1\r\nv\r\n", c.call("zrange", "a", "0", "-1", "limit", "3", "-1"));
            assertEquals("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", c.call("zrange", "a", "0", "-1", "limit", "3", "-2"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zrange", "l", "0", "-1", "byscore", "limit", "1", "x"));
            assertEquals("-ERR min or max is not a float\r\n", c.call("zrange", "a", "(1", "x", "byscore"));
            assertEquals("-ERR syntax error\r\n", c.call("zrange", "a", "0", "-1", "foo"));
            assertEquals("*10\r\n$1\r\nv\r\n$1\r\n5\r\n$1\r\nw\r\n$1\r\n4\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nx\r\n$1\r\n1\r\n", c.call("zrange", "a", "0", "-1", "rev", "withscores"));
            assertEquals("-ERR syntax error\r\n", c.call("zrange", "a", "0", "-1", "rev", "rev"));
            assertEquals("*3\r\n$1\r\nw\r\n$1\r\nz\r\n$1\r\ny\r\n", c.call("zrange", "a", "1", "-2", "rev"));
            assertEquals("*5\r\n$1\r\nv\r\n$1\r\nw\r\n$1\r\nz\r\n$1\r\ny\r\n$1\r\nx\r\n", c.call("zrange", "a", "-100", "100", "rev"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zrange", "a", "x", "-1"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zrange", "str", "x", "-1"));
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.call("zrange", "str", "0", "-1"));
            assertEquals("-ERR syntax error\r\n", c.call("zrange", "str", "0", "-1", "foo"));
            assertEquals("-ERR syntax error\r\n", c.call("zrange", "nokey", "0", "-1", "foo"));
            assertEquals("*1\r\n$1\r\nb\r\n", c.call("zrange", "l", "-", "+", "bylex", "limit", "0", "2", "limit", "1", "1"));
            assertEquals(":5\r\n", c.call("zrangestore", "d", "a", "0", "-1", "rev"));
            assertEquals("*5\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n$1\r\nv\r\n", c.call("zrange", "d", "0", "-1"));
            assertEquals("*1\r\n$1\r\ny\r\n", c.call("zrangebyscore", "a", "-inf", "+inf", "limit", "0", "1", "limit", "1", "1"));
            assertEquals("-ERR syntax error\r\n", c.call("zrangebyscore", "a", "-inf", "+inf", "rev"));
            assertEquals("-ERR syntax error\r\n", c.call("zrangebyscore", "a", "-inf", "+inf", "bylex"));
            assertEquals("-ERR syntax error\r\n", c.call("zrangebyscore", "a", "-inf", "+inf", "byscore"));
            assertEquals("*4\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n", c.call("zrangebyscore", "a", "-inf", "+inf", "withscores", "limit", "1", "2"));
            assertEquals("*6\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\nw\r\n$1\r\n4\r\n", c.call("zrangebyscore", "a", "(1", "(5", "withscores"));
            assertEquals("*0\r\n", c.call("zrangebyscore", "a", "(1", "(1"));
            assertEquals("*0\r\n", c.call("zrangebyscore", "a", "5", "1"));
            assertEquals("*4\r\n$1\r\nw\r\n$1\r\n4\r\n$1\r\nz\r\n$1\r\n3\r\n", c.call("zrevrangebyscore", "a", "5", "1", "limit", "1", "2", "withscores"));
            assertEquals("*1\r\n$1\r\nv\r\n", c.call("zrevrangebyscore", "a", "5", "(4"));
            assertEquals("*0\r\n", c.call("zrevrangebyscore", "a", "1", "5"));
            assertEquals("*1\r\n$1\r\nx\r\n", c.call("zrevrangebyscore", "a", "+inf", "-inf", "limit", "4", "10"));
            assertEquals("*0\r\n", c.call("zrevrangebyscore", "a", "+inf", "-inf", "limit", "5", "10"));
            assertEquals("*3\r\n$1\r\nz\r\n$1\r\ny\r\n$1\r\nx\r\n", c.call("zrevrangebyscore", "a", "+inf", "-inf", "limit", "2", "-1"));
            assertEquals("*4\r\n$1\r\nv\r\n$1\r\n5\r\n$1\r\nw\r\n$1\r\n4\r\n", c.call("zrevrange", "a", "0", "1", "withscores"));
            assertEquals("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", c.call("zrevrange", "a", "0", "1", "limit", "0", "1"));
            assertEquals("-ERR syntax error\r\n", c.call("zrevrange", "a", "0", "1", "rev"));
            assertEquals("*4\r\n$1\r\nv\r\n$1\r\n5\r\n$1\r\nw\r\n$1\r\n4\r\n", c.call("zrevrange", "a", "0", "1", "withscores", "withscores"));
            assertEquals("-ERR wrong number of arguments for 'zrevrange' command\r\n", c.call("zrevrange", "a", "0"));
            assertEquals("-ERR min or max is not a float\r\n", c.call("zrangebyscore", "a", "1", "x"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zrangebyscore", "a", "x", "1", "limit", "x", "1"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("zrangebyscore", "a", "1", "2", "limit", "0", "x"));
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.call("zrangebyscore", "str", "1", "2", "limit", "0", "1"));
            assertEquals("*0\r\n", c.call("zrange", "a", "0", "-1", "byscore"));
            assertEquals("*2\r\n$1\r\nz\r\n$1\r\n3\r\n", c.call("zrange", "a", "2", "4", "byscore", "limit", "1", "1", "withscores"));
            assertEquals("*2\r\n$1\r\nz\r\n$1\r\n3\r\n", c.call("zrange", "a", "4", "2", "byscore", "rev", "limit", "1", "1", "withscores"));
            assertEquals("*0\r\n", c.call("zrangebyscore", "a", "2", "4", "limit", "3", "1"));
            assertEquals("*1\r\n$1\r\nw\r\n", c.call("zrangebyscore", "a", "2", "4", "limit", "2", "1"));
            assertEquals("*0\r\n", c.call("zrangebyscore", "a", "2", "4", "limit", "5", "1"));
            c.call("hello", "3");
            assertEquals("*2\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,2\r\n", c.call("zrange", "a", "0", "1", "withscores"));
            assertEquals("*2\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,2\r\n", c.call("zrangebyscore", "a", "1", "2", "withscores"));
            assertEquals("*2\r\n*2\r\n$1\r\ny\r\n,2\r\n*2\r\n$1\r\nx\r\n,1\r\n", c.call("zrevrangebyscore", "a", "2", "1", "withscores"));
            assertEquals("*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", c.call("zrange", "l", "-", "+", "bylex"));
        }
    }

    @Test
    void lexRangesOfALargeSetUseRanks() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            String[] args = new String[2 + 2 * 1000];
            args[0] = "ZADD";
            args[1] = "big";
            for (int i = 0; i < 1000; i++) {
                args[2 + 2 * i] = "0";
                args[3 + 2 * i] = String.format("m%04d", i);
            }
            assertEquals(":1000\r\n", c.call(args));
            assertEquals(":100\r\n", c.call("ZLEXCOUNT", "big", "[m0100", "(m0200"));
            assertEquals("*2\r\n$5\r\nm0998\r\n$5\r\nm0997\r\n", c.call("ZREVRANGEBYLEX", "big", "(m0999", "-", "LIMIT", "0", "2"));
            assertEquals(":500\r\n", c.call("ZREMRANGEBYLEX", "big", "[m0500", "+"));
            assertEquals(":500\r\n", c.call("ZCARD", "big"));
            assertEquals("*1\r\n$5\r\nm0499\r\n", c.call("ZRANGE", "big", "+", "-", "BYLEX", "REV", "LIMIT", "0", "1"));
            assertEquals(java.util.List.of(), server.heap.check());
        }
    }
}
