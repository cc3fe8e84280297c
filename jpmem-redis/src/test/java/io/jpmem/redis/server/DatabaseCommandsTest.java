package io.jpmem.redis.server;

import static io.jpmem.redis.server.SortedSetStoreCommandsTest.execAfter;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY, MOVE, SWAPDB and OBJECT: replies as Debian's redis-server 7.0.15 gives them (recorded from
 * it; OBJECT ENCODING answers for our encodings), WATCH, freed blocks, and a restart.
 */
class DatabaseCommandsTest {

    @TempDir
    Path dir;

    private static long integer(String reply) {
        assertTrue(reply.startsWith(":"), reply);
        return Long.parseLong(reply.substring(1).trim());
    }

    /** {@return the bulk strings of an array reply} */
    private static Set<String> bulkSet(String reply) {
        String[] lines = reply.split("\r\n");
        Set<String> out = new TreeSet<>();
        for (int i = 2; i < lines.length; i += 2) {
            out.add(lines[i]);
        }
        return out;
    }

    @Test
    void copyMoveSwapdbObjectLikeRedis() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("+OK\r\n", c.call("flushall"));
            assertEquals("+OK\r\n", c.call("set", "a", "1"));
            assertEquals(":1\r\n", c.call("copy", "a", "b"));
            assertEquals("$1\r\n1\r\n", c.call("get", "b"));
            assertEquals(":0\r\n", c.call("copy", "a", "b"));
            assertEquals(":1\r\n", c.call("copy", "a", "b", "replace"));
            assertEquals(":1\r\n", c.call("copy", "a", "b", "db", "1"));
            assertEquals("+OK\r\n", c.call("select", "1"));
            assertEquals("$1\r\n1\r\n", c.call("get", "b"));
            assertEquals("+OK\r\n", c.call("select", "0"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("copy", "a", "b", "db", "16"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("copy", "a", "b", "db", "x"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("copy", "a", "b", "db", "-1"));
            assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n", c.call("copy", "a", "b", "db", "4294967296"));
            assertEquals("-ERR source and destination objects are the same\r\n", c.call("copy", "a", "a"));
            assertEquals("-ERR source and destination objects are the same\r\n", c.call("copy", "a", "a", "db", "0"));
            assertEquals(":1\r\n", c.call("copy", "a", "a", "db", "1"));
            assertEquals(":0\r\n", c.call("copy", "nokey", "b"));
            assertEquals("-ERR syntax error\r\n", c.call("copy", "a", "b", "foo"));
            assertEquals("-ERR syntax error\r\n", c.call("copy", "a", "b", "db"));
            assertEquals(":1\r\n", c.call("copy", "a", "b", "replace", "replace"));
            assertEquals("-ERR wrong number of arguments for 'copy' command\r\n", c.call("copy", "a"));
            assertEquals(":1\r\n", c.call("pexpire", "a", "100000"));
            assertEquals(":1\r\n", c.call("copy", "a", "c"));
            assertTrue(integer(c.call("pttl", "c")) > 90_000, "the copy keeps the expiry");
            assertEquals(":3\r\n", c.call("rpush", "li", "1", "2", "3"));
            assertEquals(":1\r\n", c.call("copy", "li", "li2"));
            assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", c.call("lrange", "li2", "0", "-1"));
            assertEquals(":4\r\n", c.call("rpush", "li2", "4"));
            assertEquals(":3\r\n", c.call("llen", "li"));
            assertEquals(":2\r\n", c.call("hset", "h", "f", "v", "g", "w"));
            assertEquals(":1\r\n", c.call("copy", "h", "h2"));
            assertEquals("*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n", c.call("hgetall", "h2"));
            assertEquals(":2\r\n", c.call("sadd", "s", "m", "n"));
            assertEquals(":1\r\n", c.call("copy", "s", "s2"));
            assertEquals("*2\r\n$1\r\nm\r\n$1\r\nn\r\n", c.call("smembers", "s2"));
            assertEquals(":2\r\n", c.call("zadd", "z", "1", "a", "2", "b"));
            assertEquals(":1\r\n", c.call("copy", "z", "z2"));
            assertEquals("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", c.call("zrange", "z2", "0", "-1", "withscores"));
            assertEquals(":1\r\n", c.call("copy", "z", "li", "replace"));
            assertEquals("+zset\r\n", c.call("type", "li"));
            assertEquals(":1\r\n", c.call("copy", "z", "str"));
            assertEquals(":1\r\n", c.call("copy", "z", "str", "replace"));
            assertEquals(":0\r\n", c.call("move", "a", "1"));
            assertEquals(":0\r\n", c.call("move", "a", "1"));
            assertEquals("-ERR source and destination objects are the same\r\n", c.call("move", "a", "0"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("move", "a", "16"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("move", "a", "-1"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("move", "a", "x"));
            assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n", c.call("move", "a", "4294967296"));
            assertEquals(":0\r\n", c.call("move", "nokey", "1"));
            assertEquals("+OK\r\n", c.call("select", "1"));
            assertEquals(":-1\r\n", c.call("pttl", "a"));
            assertEquals("+OK\r\n", c.call("select", "0"));
            assertEquals(":1\r\n", c.call("move", "c", "2"));
            assertEquals(":0\r\n", c.call("exists", "c"));
            assertEquals("+OK\r\n", c.call("select", "2"));
            assertTrue(integer(c.call("pttl", "c")) > 90_000, "the moved key keeps its expiry");
            assertEquals("$1\r\n1\r\n", c.call("get", "c"));
            assertEquals(":1\r\n", c.call("move", "c", "0"));
            assertEquals("+OK\r\n", c.call("select", "0"));
            assertEquals(":1\r\n", c.call("move", "z", "3"));
            assertEquals("+OK\r\n", c.call("select", "3"));
            assertEquals("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", c.call("zrange", "z", "0", "-1", "withscores"));
            assertEquals("+OK\r\n", c.call("select", "0"));
            assertEquals("-ERR wrong number of arguments for 'move' command\r\n", c.call("move", "a"));
            assertEquals("+OK\r\n", c.call("swapdb", "0", "1"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("swapdb", "0", "16"));
            assertEquals("-ERR invalid first DB index\r\n", c.call("swapdb", "x", "1"));
            assertEquals("-ERR invalid second DB index\r\n", c.call("swapdb", "0", "x"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("swapdb", "-1", "0"));
            assertEquals("-ERR invalid first DB index\r\n", c.call("swapdb", "4294967296", "0"));
            assertEquals("+OK\r\n", c.call("swapdb", "0", "0"));
            assertEquals("-ERR wrong number of arguments for 'swapdb' command\r\n", c.call("swapdb", "0"));
            assertEquals(":2\r\n", c.call("dbsize"));
            assertEquals(java.util.Set.of("a", "b"), bulkSet(c.call("keys", "*")), "db 1's keys are db 0's now");
            assertEquals("+OK\r\n", c.call("swapdb", "1", "0"));
            assertEquals(java.util.Set.of("str", "s", "li", "li2", "h", "a", "h2", "c", "z2", "b", "s2"), bulkSet(c.call("keys", "*")));
            assertEquals("$3\r\nraw\r\n", c.call("object", "encoding", "b"), "a string is a byte block: raw (Redis: int)");
            assertEquals("$-1\r\n", c.call("object", "encoding", "nokey"));
            assertEquals(":1\r\n", c.call("object", "refcount", "b"));
            assertEquals(":0\r\n", c.call("object", "idletime", "b"));
            assertEquals("-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n", c.call("object", "freq", "b"));
            assertEquals("-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n", c.call("object", "foo", "b"));
            assertEquals("-ERR wrong number of arguments for 'object' command\r\n", c.call("object"));
            assertEquals("-ERR wrong number of arguments for 'object|encoding' command\r\n", c.call("object", "encoding"));
            assertEquals("-ERR wrong number of arguments for 'object|encoding' command\r\n", c.call("object", "encoding", "b", "c"));
            assertEquals("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n+    Return the kind of internal representation used in order to store the value\r\n+    associated with a <key>.\r\n+FREQ <key>\r\n+    Return the access frequency index of the <key>. The returned integer is\r\n+    proportional to the logarithm of the recent access frequency of the key.\r\n+IDLETIME <key>\r\n+    Return the idle time of the <key>, that is the approximated number of\r\n+    seconds elapsed since the last access to the key.\r\n+REFCOUNT <key>\r\n+    Return the number of references of the value associated with the specified\r\n+    <key>.\r\n+HELP\r\n+    Prints this help.\r\n", c.call("object", "help"));
            assertEquals("-ERR wrong number of arguments for 'object|help' command\r\n", c.call("object", "help", "extra"));
            assertEquals("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n+    Return the kind of internal representation used in order to store the value\r\n+    associated with a <key>.\r\n+FREQ <key>\r\n+    Return the access frequency index of the <key>. The returned integer is\r\n+    proportional to the logarithm of the recent access frequency of the key.\r\n+IDLETIME <key>\r\n+    Return the idle time of the <key>, that is the approximated number of\r\n+    seconds elapsed since the last access to the key.\r\n+REFCOUNT <key>\r\n+    Return the number of references of the value associated with the specified\r\n+    <key>.\r\n+HELP\r\n+    Prints this help.\r\n", c.call("object", "HELP"));
            assertEquals("$-1\r\n", c.call("object", "refcount", "nokey"));
            assertEquals("$-1\r\n", c.call("object", "freq", "nokey"));
            assertEquals("$-1\r\n", c.call("object", "idletime", "nokey"));
            assertEquals("-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n", c.call("object", "foo"));
        }
    }

    @Test
    void objectEncodingNamesOurEncodings() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            c.call("SET", "str", "12");
            c.call("RPUSH", "list", "a");
            c.call("HSET", "hash", "f", "v");
            c.call("SADD", "set", "1");
            c.call("ZADD", "zset", "1", "a");
            assertEquals("$3\r\nraw\r\n", c.call("OBJECT", "ENCODING", "str"));
            assertEquals("$9\r\nquicklist\r\n", c.call("OBJECT", "ENCODING", "list"));
            assertEquals("$9\r\nhashtable\r\n", c.call("OBJECT", "ENCODING", "hash"));
            assertEquals("$9\r\nhashtable\r\n", c.call("OBJECT", "ENCODING", "set"));
            assertEquals("$8\r\nskiplist\r\n", c.call("OBJECT", "ENCODING", "zset"));
            c.call("PEXPIRE", "str", "1");
            Thread.sleep(5);
            assertEquals("$-1\r\n", c.call("OBJECT", "ENCODING", "str"), "an expired key does not exist");
            c.call("HELLO", "3");
            assertEquals("_\r\n", c.call("OBJECT", "REFCOUNT", "nokey"));
        }
    }

    /** {@return EXEC's reply after FLUSHALL, {@code setup} (in db 0), WATCH {@code key} in {@code db}, and {@code action} by another client} */
    private static String scenario(TestServer.Client w, TestServer.Client c, List<List<String>> setup, int db, String key,
                                   String... action) throws Exception {
        c.call("SELECT", "0");
        c.call("FLUSHALL");
        for (List<String> command : setup) {
            c.call(command.toArray(String[]::new));
        }
        c.call("SELECT", "0");
        w.call("SELECT", Integer.toString(db));
        return execAfter(w, c, key, action);
    }

    /** The same scenarios as against redis-server 7.0.15, with its outcomes. */
    @Test
    void watchSeesTheKeysThatChange() throws Exception {
        String aborted = "*-1\r\n";
        String ran = "*1\r\n+PONG\r\n";
        List<String> inDb1 = List.of("SELECT", "1");
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             TestServer.Client w = server.client(); TestServer.Client c = server.client()) {
            assertEquals(aborted, scenario(w, c, List.of(inDb1, List.of("SET", "k", "v")), 0, "k", "SWAPDB", "0", "1"),
                    "the watched key is in the other database");
            assertEquals(ran, scenario(w, c, List.of(), 0, "k", "SWAPDB", "0", "1"), "in neither database");
            assertEquals(aborted, scenario(w, c, List.of(List.of("SET", "k", "v")), 0, "k", "SWAPDB", "0", "1"));
            assertEquals(ran, scenario(w, c, List.of(List.of("SET", "k", "v")), 0, "k", "SWAPDB", "0", "0"));
            assertEquals(ran, scenario(w, c, List.of(List.of("SET", "s", "1")), 0, "s", "COPY", "s", "d"), "the source is only read");
            assertEquals(aborted, scenario(w, c, List.of(List.of("SET", "s", "1")), 1, "d", "COPY", "s", "d", "DB", "1"));
            assertEquals(ran, scenario(w, c, List.of(List.of("SET", "s", "1"), List.of("SET", "d", "1")), 0, "d", "COPY", "s", "d"),
                    "refused: nothing changed");
            assertEquals(aborted, scenario(w, c, List.of(List.of("SET", "s", "1"), List.of("SET", "d", "1")), 0, "d",
                    "COPY", "s", "d", "REPLACE"));
            assertEquals(aborted, scenario(w, c, List.of(List.of("SET", "k", "1")), 0, "k", "MOVE", "k", "1"));
            assertEquals(aborted, scenario(w, c, List.of(List.of("SET", "k", "1")), 1, "k", "MOVE", "k", "1"));
            assertEquals(ran, scenario(w, c, List.of(List.of("SET", "k", "1"), inDb1, List.of("SET", "k", "2")), 1, "k", "MOVE", "k", "1"),
                    "refused: the key exists there");
        }
    }

    @Test
    void copiesAreDeepAndMovesAndSwapsFreeNothingTwice() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            c.call("SET", "warm", "up");
            c.call("FLUSHALL"); // the databases' tables as FLUSHALL leaves them, as at the end of each round
            long baseline = server.heap.allocationStats().allocatedBlocks();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 30; i++) {
                    c.call("RPUSH", "l", "e" + i);
                    c.call("HSET", "h", "f" + i, "v" + i);
                    c.call("SADD", "s", "m" + i);
                    c.call("ZADD", "z", Integer.toString(i), "m" + i);
                }
                c.call("SET", "str", "value");
                for (String key : List.of("l", "h", "s", "z", "str")) {
                    assertEquals(":1\r\n", c.call("COPY", key, key + "2"));
                    assertEquals(":1\r\n", c.call("COPY", key, "l2", "REPLACE"), "replaces (and frees) whatever l2 held");
                    assertEquals(":1\r\n", c.call("COPY", key, key, "DB", "1"));
                    assertEquals(":1\r\n", c.call("MOVE", key + "2", "2"));
                }
                assertEquals(":30\r\n", c.call("SREM", "s", "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10",
                        "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19", "m20", "m21", "m22", "m23", "m24", "m25",
                        "m26", "m27", "m28", "m29"));
                assertEquals("+OK\r\n", c.call("SWAPDB", "0", "1"));
                assertEquals(":30\r\n", c.call("SCARD", "s"), "the copy was deep: emptying the original left it whole");
                assertEquals("+OK\r\n", c.call("SWAPDB", "2", "0"));
                assertEquals("$5\r\nvalue\r\n", c.call("GET", "str2"));
                assertTrue(server.heap.allocationStats().allocatedBlocks() > baseline + 100);
                c.call("FLUSHALL");
                assertEquals(baseline, server.heap.allocationStats().allocatedBlocks(), "round " + round + ": nothing leaked");
            }
            assertEquals(List.of(), server.heap.check());
        }
    }

    @Test
    void aCopyThatDoesNotFitChangesNothing() throws Exception {
        String pad = "p".repeat(8_000);
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            for (int i = 0; i < 300; i++) {
                c.call("HSET", "big", "f" + i, pad);
            }
            c.call("SET", "d", "keep");
            assertTrue(c.fillHeap(), "the heap fills up");
            assertTrue(c.call("COPY", "big", "d", "REPLACE").startsWith("-OOM"));
            assertTrue(c.call("COPY", "big", "d", "DB", "1").startsWith("-OOM"));
            assertEquals("$4\r\nkeep\r\n", c.call("GET", "d"), "the destination is untouched");
            c.call("SELECT", "1");
            assertEquals(":0\r\n", c.call("DBSIZE"));
            assertEquals(List.of(), server.heap.check());
        }
    }

    @Test
    void swappedDatabasesAndMovedKeysSurviveARestart() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            c.call("SET", "a", "in0");
            c.call("PEXPIRE", "a", "100000");
            c.call("ZADD", "z", "1", "m");
            assertEquals(":1\r\n", c.call("MOVE", "z", "5"));
            assertEquals("+OK\r\n", c.call("SWAPDB", "0", "3"));
        }
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals(":0\r\n", c.call("DBSIZE"));
            c.call("SELECT", "3");
            assertEquals("$3\r\nin0\r\n", c.call("GET", "a"));
            assertTrue(integer(c.call("PTTL", "a")) > 90_000, "the expiry went with the database");
            c.call("SELECT", "5");
            assertEquals("*1\r\n$1\r\nm\r\n", c.call("ZRANGE", "z", "0", "-1"));
            assertEquals(List.of(), server.heap.check());
        }
    }
}
