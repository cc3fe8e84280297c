package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.redis.command.ExecutedWrite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round executor's contracts beyond the commands' replies: the write listeners see exactly
 * the writes that committed, in order (not those rolled back, not those that changed nothing), and
 * the MULTI rules come from the command flags, as redis-server applies them.
 */
class RoundExecutorTest {

    @TempDir
    Path dir;

    private static String describe(List<ExecutedWrite> batch) {
        return batch.stream().map(w -> w.db() + ":" + w.args().stream().map(a -> new String(a, StandardCharsets.UTF_8))
                .collect(Collectors.joining(" "))).collect(Collectors.joining(", "));
    }

    @Test
    void writeListenersSeeEachCommittedTransactionsWritesInOrder() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            List<String> batches = new CopyOnWriteArrayList<>();
            server.loop.core().executor().addWriteListener(batch -> batches.add(describe(batch)));
            assertEquals("+OK\r\n", c.call("SET", "a", "1"));
            assertEquals(":0\r\n", c.call("DEL", "missing"), "a write that changes nothing");
            assertEquals("$1\r\n1\r\n", c.call("GET", "a"));
            c.call("SELECT", "3");
            c.send(TestServer.request("MULTI") + TestServer.request("INCR", "n") + TestServer.request("RPUSH", "l", "x")
                    + TestServer.request("EXEC"));
            assertEquals("+OK\r\n", c.reply());
            c.reply();
            c.reply();
            assertEquals("*2\r\n:1\r\n:1\r\n", c.reply());
            assertEquals(List.of("0:SET a 1", "3:MULTI, 3:INCR n, 3:RPUSH l x, 3:EXEC"), batches);
        }
    }

    @Test
    void aRolledBackWriteIsNotReported() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertTrue(c.fillHeap(), "the heap fills up");
            List<String> batches = new CopyOnWriteArrayList<>();
            server.loop.core().executor().addWriteListener(batch -> batches.add(describe(batch)));
            String huge = "y".repeat(900_000);
            c.send(TestServer.request("SET", "small", "1") + TestServer.request("SET", "huge", huge)
                    + TestServer.request("SET", "small2", "2"));
            assertEquals("+OK\r\n", c.reply());
            assertTrue(c.reply().startsWith("-OOM"));
            assertEquals("+OK\r\n", c.reply());
            assertEquals(List.of("0:SET small 1", "0:SET small2 2"), batches,
                    "the round rolled back and its commands committed one by one, the OOM one not at all");
        }
    }

    @Test
    void multiRulesFollowTheFlagsAsInRedis() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
             RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
             TestServer.Client a = ours.client();
             TestServer.Client b = redis.client()) {
            Differential.assertSame("MULTI and the command flags", a, b, Differential.script(
                    "MULTI", "SET k v", "SAVE", "EXEC", "GET k",
                    "MULTI", "WATCH k", "MULTI", "DISCARD",
                    "MULTI", "SET k v", "EXEC", "GET k"));
            String info = a.call("COMMAND", "INFO", "exec");
            assertFalse(info.contains("runs"), "an internal flag is not listed: " + info);
        }
    }
}
