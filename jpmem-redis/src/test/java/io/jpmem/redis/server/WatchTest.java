package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WATCH as Redis 7.0: a write touches a watched key only if it changed it (signalModifiedKey), the
 * store commands touch their destination and not their inputs, FLUSHDB/FLUSHALL touch the watched
 * keys the flushed databases held, and a rolled-back group-commit round or command leaves no
 * watcher marked dirty and no watch state changed. The scenarios' replies and outcomes were
 * recorded from redis-server 7.0.15: client {@code c} runs the setup (after FLUSHALL), client
 * {@code w} WATCHes a key, {@code c} runs the write, {@code w} runs MULTI, PING, EXEC.
 */
class WatchTest {

    private static final String ABORTED = "*-1\r\n";
    private static final String RAN = "*1\r\n+PONG\r\n";

    @TempDir
    Path dir;

    private record Case(List<List<String>> setup, String watched, List<String> write, String reply, String exec) {}

    private static final List<Case> CASES = List.of(
                new Case(List.of(), "a", List.of("SUNIONSTORE", "d", "a", "b"), ":0\r\n", RAN),
                new Case(List.of(List.of("SADD", "a", "1")), "a", List.of("SUNIONSTORE", "d", "a", "b"), ":1\r\n", RAN),
                new Case(List.of(List.of("SADD", "a", "1")), "a", List.of("SINTERSTORE", "d", "a", "b"), ":0\r\n", RAN),
                new Case(List.of(List.of("SADD", "a", "1")), "a", List.of("SDIFFSTORE", "d", "a", "b"), ":1\r\n", RAN),
                new Case(List.of(List.of("SADD", "a", "1")), "d", List.of("SUNIONSTORE", "d", "a", "b"), ":1\r\n", ABORTED),
                new Case(List.of(List.of("SADD", "a", "1")), "d", List.of("SINTERSTORE", "d", "a", "b"), ":0\r\n", RAN),
                new Case(List.of(), "d", List.of("SINTERSTORE", "d", "a", "b"), ":0\r\n", RAN),
                new Case(List.of(List.of("SET", "d", "x")), "d", List.of("SINTERSTORE", "d", "a", "b"), ":0\r\n", ABORTED),
                new Case(List.of(List.of("SET", "a", "1")), "a", List.of("FLUSHDB"), "+OK\r\n", ABORTED),
                new Case(List.of(), "a", List.of("FLUSHDB"), "+OK\r\n", RAN),
                new Case(List.of(List.of("SET", "a", "1")), "a", List.of("FLUSHALL"), "+OK\r\n", ABORTED),
                new Case(List.of(List.of("SET", "zz", "1")), "a", List.of("FLUSHALL"), "+OK\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZREM", "z", "nope"), ":0\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZREM", "z", "m"), ":1\r\n", ABORTED),
                new Case(List.of(List.of("SADD", "s", "m")), "s", List.of("SREM", "s", "nope"), ":0\r\n", RAN),
                new Case(List.of(), "k", List.of("DEL", "k"), ":0\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("DEL", "k"), ":1\r\n", ABORTED),
                new Case(List.of(List.of("HSET", "h", "f", "v")), "h", List.of("HDEL", "h", "nope"), ":0\r\n", RAN),
                new Case(List.of(List.of("RPUSH", "l", "a")), "l", List.of("LREM", "l", "0", "nope"), ":0\r\n", RAN),
                new Case(List.of(), "k", List.of("EXPIRE", "k", "100"), ":0\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("EXPIRE", "k", "100"), ":1\r\n", ABORTED),
                new Case(List.of(List.of("SET", "k", "v", "EX", "100")), "k", List.of("EXPIRE", "k", "200", "NX"), ":0\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("PERSIST", "k"), ":0\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("SET", "k", "w", "NX"), "$-1\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("SET", "k", "v"), "+OK\r\n", ABORTED),
                new Case(List.of(), "k", List.of("SET", "k", "v", "XX"), "$-1\r\n", RAN),
                new Case(List.of(), "k", List.of("SETNX", "k", "v"), ":1\r\n", ABORTED),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("SETNX", "k", "v"), ":0\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("MSETNX", "k", "v", "j", "w"), ":0\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("APPEND", "k", ""), ":1\r\n", ABORTED),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("SETRANGE", "k", "0", ""), ":1\r\n", RAN),
                new Case(List.of(), "k", List.of("SETRANGE", "k", "0", ""), ":0\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("GETEX", "k"), "$1\r\nv\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("GETEX", "k", "PERSIST"), "$1\r\nv\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v", "EX", "100")), "k", List.of("GETEX", "k", "PERSIST"), "$1\r\nv\r\n", ABORTED),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("GETEX", "k", "EX", "100"), "$1\r\nv\r\n", ABORTED),
                new Case(List.of(), "k", List.of("GETDEL", "k"), "$-1\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("GETDEL", "k"), "$1\r\nv\r\n", ABORTED),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("RENAME", "k", "k"), "+OK\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "j", List.of("RENAME", "k", "j"), "+OK\r\n", ABORTED),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("RENAME", "k", "j"), "+OK\r\n", ABORTED),
                new Case(List.of(List.of("SET", "k", "v"), List.of("SET", "j", "w")), "j", List.of("RENAMENX", "k", "j"), ":0\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v"), List.of("SET", "j", "w")), "k", List.of("RENAMENX", "k", "j"), ":0\r\n", RAN),
                new Case(List.of(), "l", List.of("LPUSHX", "l", "a"), ":0\r\n", RAN),
                new Case(List.of(), "l", List.of("LPOP", "l"), "$-1\r\n", RAN),
                new Case(List.of(List.of("RPUSH", "l", "a")), "l", List.of("LPOP", "l", "0"), "*0\r\n", RAN),
                new Case(List.of(List.of("RPUSH", "l", "a", "b")), "l", List.of("LTRIM", "l", "0", "-1"), "+OK\r\n", ABORTED),
                new Case(List.of(), "l", List.of("LTRIM", "l", "0", "-1"), "+OK\r\n", RAN),
                new Case(List.of(List.of("RPUSH", "l", "a")), "l", List.of("LINSERT", "l", "BEFORE", "nope", "x"), ":-1\r\n", RAN),
                new Case(List.of(List.of("RPUSH", "l", "a")), "l", List.of("LSET", "l", "0", "a"), "+OK\r\n", ABORTED),
                new Case(List.of(List.of("RPUSH", "l", "a")), "m", List.of("LMOVE", "l", "m", "LEFT", "LEFT"), "$1\r\na\r\n", ABORTED),
                new Case(List.of(List.of("RPUSH", "l", "a")), "l", List.of("LMOVE", "l", "l", "LEFT", "RIGHT"), "$1\r\na\r\n", ABORTED),
                new Case(List.of(), "m", List.of("RPOPLPUSH", "l", "m"), "$-1\r\n", RAN),
                new Case(List.of(List.of("HSET", "h", "f", "v")), "h", List.of("HSET", "h", "f", "v"), ":0\r\n", ABORTED),
                new Case(List.of(List.of("HSET", "h", "f", "v")), "h", List.of("HSETNX", "h", "f", "v"), ":0\r\n", RAN),
                new Case(List.of(List.of("HSET", "h", "f", "1")), "h", List.of("HINCRBY", "h", "f", "0"), ":1\r\n", ABORTED),
                new Case(List.of(List.of("SADD", "s", "m")), "s", List.of("SADD", "s", "m"), ":0\r\n", RAN),
                new Case(List.of(), "s", List.of("SPOP", "s"), "$-1\r\n", RAN),
                new Case(List.of(List.of("SADD", "s", "m")), "s", List.of("SPOP", "s", "0"), "*0\r\n", RAN),
                new Case(List.of(List.of("SADD", "s", "m"), List.of("SADD", "t", "m")), "t", List.of("SMOVE", "s", "t", "m"), ":1\r\n", RAN),
                new Case(List.of(List.of("SADD", "s", "m"), List.of("SADD", "t", "m")), "s", List.of("SMOVE", "s", "t", "m"), ":1\r\n", ABORTED),
                new Case(List.of(List.of("SADD", "s", "m")), "s", List.of("SMOVE", "s", "s", "m"), ":1\r\n", RAN),
                new Case(List.of(List.of("SADD", "s", "m")), "s", List.of("SMOVE", "s", "t", "nope"), ":0\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZADD", "z", "1", "m"), ":0\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZADD", "z", "2", "m"), ":0\r\n", ABORTED),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZADD", "z", "NX", "2", "m"), ":0\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZADD", "z", "GT", "0", "m"), ":0\r\n", RAN),
                new Case(List.of(), "z", List.of("ZADD", "z", "XX", "1", "m"), ":0\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZINCRBY", "z", "0", "m"), "$1\r\n1\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZINCRBY", "z", "1", "m"), "$1\r\n2\r\n", ABORTED),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZREMRANGEBYSCORE", "z", "5", "6"), ":0\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZREMRANGEBYRANK", "z", "5", "6"), ":0\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZPOPMIN", "z", "0"), "*0\r\n", RAN),
                new Case(List.of(), "z", List.of("ZPOPMIN", "z"), "*0\r\n", RAN),
                new Case(List.of(List.of("ZADD", "z", "1", "m")), "z", List.of("ZUNIONSTORE", "d", "1", "z"), ":1\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("COPY", "k", "d"), ":1\r\n", RAN),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("MOVE", "k", "1"), ":1\r\n", ABORTED),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("SWAPDB", "0", "1"), "+OK\r\n", ABORTED),
                new Case(List.of(List.of("SET", "k", "v")), "k", List.of("INCRBY", "k", "0"), "-ERR value is not an integer or out of range\r\n", RAN)
    );

    @Test
    void writesTouchOnlyTheKeysTheyChangeAsRedis70() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             TestServer.Client w = server.client(); TestServer.Client c = server.client()) {
            List<String> wrong = new ArrayList<>();
            for (Case k : CASES) {
                c.call("FLUSHALL");
                for (List<String> command : k.setup()) {
                    c.call(command.toArray(String[]::new));
                }
                assertEquals("+OK\r\n", w.call("WATCH", k.watched()));
                String reply = c.call(k.write().toArray(String[]::new));
                assertEquals("+OK\r\n", w.call("MULTI"));
                assertEquals("+QUEUED\r\n", w.call("PING"));
                String exec = w.call("EXEC");
                if (!reply.equals(k.reply()) || !exec.equals(k.exec())) {
                    wrong.add(k.setup() + " WATCH " + k.watched() + " " + k.write() + ": " + reply.strip() + " / "
                            + (exec.equals(RAN) ? "ran" : exec.equals(ABORTED) ? "aborted" : exec));
                }
            }
            assertEquals(List.of(), wrong, "scenarios whose reply or EXEC outcome differ from Redis 7.0.15");
        }
    }

    @Test
    void flushTouchesOnlyWatchedKeysTheFlushedDatabasesHeld() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             TestServer.Client w = server.client(); TestServer.Client c = server.client()) {
            c.call("SET", "k", "v");
            c.call("SELECT", "1");
            assertEquals(RAN, SortedSetStoreCommandsTest.execAfter(w, c, "k", "FLUSHDB"), "db 1 is flushed, the watched key is in db 0");
            assertEquals(ABORTED, SortedSetStoreCommandsTest.execAfter(w, c, "k", "FLUSHALL"));
            assertEquals(RAN, SortedSetStoreCommandsTest.execAfter(w, c, "k", "FLUSHALL"), "nothing left to flush");
        }
    }

    /** A rolled-back EXEC (a full heap) changed nothing: a watcher of the key it would have set may still EXEC. */
    @Test
    void aRolledBackWriteLeavesNoWatcherDirty() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             TestServer.Client w = server.client(); TestServer.Client c = server.client()) {
            assertEquals("+OK\r\n", w.call("WATCH", "k"));
            assertTrue(c.fillHeap(), "the heap fills up");
            c.send(TestServer.request("MULTI") + TestServer.request("SET", "k", "v")
                    + TestServer.request("SETRANGE", "big", "600000", "y") + TestServer.request("EXEC"));
            assertEquals("+OK\r\n", c.reply());
            assertEquals("+QUEUED\r\n", c.reply());
            assertEquals("+QUEUED\r\n", c.reply());
            assertTrue(c.reply().startsWith("-OOM"), "the transaction does not fit");
            assertEquals("$-1\r\n", c.call("GET", "k"), "nothing of it was written");
            assertEquals("+OK\r\n", w.call("MULTI"));
            assertEquals("+QUEUED\r\n", w.call("PING"));
            assertEquals(RAN, w.call("EXEC"), "k never changed");

            assertEquals("+OK\r\n", w.call("WATCH", "k"));
            c.send(TestServer.request("SET", "k", "v") + TestServer.request("SETRANGE", "big", "600000", "y"));
            assertEquals("+OK\r\n", c.reply(), "a small value still fits");
            assertTrue(c.reply().startsWith("-OOM"));
            assertEquals("+OK\r\n", w.call("MULTI"));
            assertEquals("+QUEUED\r\n", w.call("PING"));
            assertEquals(ABORTED, w.call("EXEC"), "the SET committed in the replay: its touch counts");
        }
    }

    /**
     * An EXEC that failed its watch in a round that is then rolled back runs again in the replay and
     * fails again: the watch state (the dirty mark, the watched keys) comes back with the rollback.
     */
    @Test
    void aRolledBackRoundRestoresTheWatchState() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             TestServer.Client w = server.client(); TestServer.Client c = server.client()) {
            assertEquals("+OK\r\n", w.call("WATCH", "k"));
            assertEquals("+OK\r\n", c.call("SET", "k", "v"));
            assertTrue(c.fillHeap(), "the heap fills up");
            w.send(TestServer.request("MULTI") + TestServer.request("PING") + TestServer.request("EXEC")
                    + TestServer.request("SETRANGE", "big", "600000", "y"));
            assertEquals("+OK\r\n", w.reply());
            assertEquals("+QUEUED\r\n", w.reply());
            assertEquals(ABORTED, w.reply(), "k changed after WATCH");
            assertTrue(w.reply().startsWith("-OOM"));
            assertEquals("+OK\r\n", w.call("MULTI"));
            assertEquals("+QUEUED\r\n", w.call("PING"));
            assertEquals(RAN, w.call("EXEC"), "EXEC unwatched everything");
        }
    }
}
