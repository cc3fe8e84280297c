package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.explorer.Explorer;
import io.jpmem.explorer.Scenario;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.command.CommandTable;
import io.jpmem.redis.command.Dispatcher;
import io.jpmem.redis.command.RedisCommands;
import io.jpmem.redis.command.ServerContext;
import io.jpmem.redis.command.Watches;
import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-fail explorer over server commands, each run as the event loop runs a round (in one
 * heap transaction): SET, DEL, an expiry by the active cycle, LPUSH/LPOP, HSET, ZADD, a
 * MULTI/EXEC block, the sorted-set stores, ZREMRANGEBYLEX, COPY, MOVE, SWAPDB blocking pops
 * (served at once, and a blocked BLMOVE served by another client's push in the same transaction), RESTORE, and
 * an EVAL with several writes (and one that fails after two: they stay, as in Redis). Every crash image must recover to the state before or after the command.
 */
class RedisExplorerTest {

    @TempDir
    Path dir;

    /** The command layer on one heap, without sockets. */
    static final class Engine implements ServerContext {
        final Dataset dataset;
        final CommandTable table = new CommandTable();
        final Dispatcher dispatcher = new Dispatcher(this, new Watches());
        final ClientState client = new ClientState(1, "explorer", true);
        final PersistentHeap heap;
        final io.jpmem.redis.rdb.RdbSaves saves;

        Engine(PersistentHeap heap) {
            this.heap = heap;
            this.dataset = Dataset.open(heap, 2);
            this.saves = new io.jpmem.redis.rdb.RdbSaves(dataset, heap.path().toAbsolutePath().getParent(), "dump.rdb");
            RedisCommands.registerAll(table, dispatcher);
        }

        /** Runs commands as one round: one transaction. */
        List<String> round(String... commands) {
            List<List<byte[]>> parsed = new ArrayList<>();
            for (String command : commands) {
                List<byte[]> args = new ArrayList<>();
                for (String a : command.split(" ")) {
                    args.add(a.getBytes(StandardCharsets.UTF_8));
                }
                parsed.add(args);
            }
            return round(parsed);
        }

        /** Runs commands given as argument lists as one round. */
        List<String> round(List<List<byte[]>> commands) {
            List<String> replies = new ArrayList<>();
            heap.transaction(tx -> {
                for (List<byte[]> args : commands) {
                    replies.add(run(client, args));
                }
            });
            return replies;
        }

        /** Runs one command for {@code as} as the round executor does (then serves blocked clients); {@return its reply} */
        String run(ClientState as, String command) {
            List<byte[]> args = new ArrayList<>();
            for (String a : command.split(" ")) {
                args.add(a.getBytes(StandardCharsets.UTF_8));
            }
            return run(as, args);
        }

        String run(ClientState as, List<byte[]> args) {
            RespWriter w = new RespWriter();
            dispatcher.execute(as, args, w);
            dispatcher.serveBlockedClients();
            return new String(w.drain(), StandardCharsets.UTF_8);
        }

        @Override public Optional<String> requirePass() { return Optional.empty(); }
        @Override public CommandTable commands() { return table; }
        @Override public List<String[]> config(String pattern) { return List.of(); }
        @Override public String info(String section) { return ""; }
        @Override public void shutdown() { }
        @Override public int databases() { return 2; }
        @Override public Dataset dataset() { return dataset; }
        @Override public long maxBulkLength() { return 1 << 20; }
        @Override public io.jpmem.redis.rdb.RdbSaves saves() { return saves; }
    }

    static Scenario command(String name, String[] setUp, String... run) {
        return Scenario.of(name, heap -> new Engine(heap).round(setUp), heap -> {
            List<String> replies = new Engine(heap).round(run);
            assertFalse(replies.stream().anyMatch(r -> r.startsWith("-")), name + ": " + replies);
        });
    }

    /** EVAL of {@code body} with keys s, l, h and argument v1 over a dataset with old and n; {@return its scenario} */
    private static Scenario script(String name, String body, String expectedReply) {
        List<byte[]> eval = new ArrayList<>();
        for (String a : new String[] {"EVAL", body, "3", "s", "l", "h", "v1"}) {
            eval.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return Scenario.of(name, heap -> new Engine(heap).round("SET old 1", "SET n 1", "SET s before"), heap -> {
            List<String> replies = new Engine(heap).round(List.of(eval));
            assertEquals(List.of(expectedReply.replace("b50b4a1c5cfd5a2d4e0c4dfd6eac41f45fc1e7bd", sha1(body))), replies);
        });
    }

    private static String sha1(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RESTORE ... REPLACE of a hash over a list, with a TTL: the old value freed, the new one built, in one step. */
    private static Scenario restore() {
        byte[] payload = io.jpmem.redis.rdb.DumpPayload.of(new io.jpmem.redis.rdb.RdbValue.HashOf(List.of(
                new io.jpmem.redis.rdb.RdbValue.Field("f".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8)),
                new io.jpmem.redis.rdb.RdbValue.Field("g".getBytes(StandardCharsets.UTF_8), "two".getBytes(StandardCharsets.UTF_8)))));
        List<byte[]> restore = List.of("RESTORE".getBytes(StandardCharsets.UTF_8), "k".getBytes(StandardCharsets.UTF_8),
                "100000".getBytes(StandardCharsets.UTF_8), payload, "REPLACE".getBytes(StandardCharsets.UTF_8));
        return Scenario.of("RESTORE-REPLACE", heap -> new Engine(heap).round("RPUSH k a b c"), heap -> {
            List<String> replies = new Engine(heap).round(List.of(restore));
            assertEquals(List.of("+OK\r\n"), replies);
        });
    }

    @Test
    void serverCommandsRecoverToBeforeOrAfter() {
        Explorer explorer = new Explorer(Explorer.Options.fromSystemProperties(dir));
        long states = 0;
        List<Scenario> scenarios = List.of(
                command("SET-new", new String[] {"SET a 1"}, "SET b 2"),
                command("SET-overwrite", new String[] {"SET a 1"}, "SET a 22"),
                command("DEL", new String[] {"SET a 1", "SET b 2"}, "DEL a"),
                Scenario.of("expiry-by-the-active-cycle", heap -> {
                    Engine e = new Engine(heap);
                    e.round("SET a 1", "SET b 2");
                    heap.transaction(tx -> e.dataset.expires(0).put("a".getBytes(StandardCharsets.UTF_8), 1L)); // long past
                }, heap -> {
                    Engine e = new Engine(heap);
                    heap.transaction(tx -> assertEquals(1, e.dataset.expireCycle(10)));
                }),
                command("LPUSH", new String[] {"RPUSH l a b"}, "LPUSH l z"),
                command("LPOP-last", new String[] {"RPUSH l a"}, "LPOP l"),
                command("HSET", new String[] {"HSET h f v"}, "HSET h f w g x"),
                command("ZADD", new String[] {"ZADD z 1 a 2 b"}, "ZADD z 1.5 c 3 a"),
                command("MULTI-EXEC", new String[] {"SET n 1"}, "MULTI", "INCR n", "RPUSH l x", "SET s v", "EXEC"),
                command("ZUNIONSTORE-replace", new String[] {"ZADD a 1 x 2 y", "SADD s y z", "ZADD d 5 old"},
                        "ZUNIONSTORE d 2 a s WEIGHTS 2 1"),
                command("ZINTERSTORE-empty-deletes", new String[] {"ZADD a 1 x", "ZADD d 5 old"}, "ZINTERSTORE d 2 a nokey"),
                command("ZRANGESTORE", new String[] {"ZADD a 1 x 2 y 3 z", "SET d str"}, "ZRANGESTORE d a 1 -1"),
                command("ZREMRANGEBYLEX", new String[] {"ZADD a 0 x 0 y 0 z"}, "ZREMRANGEBYLEX a [y +"),
                command("COPY-REPLACE", new String[] {"HSET h f v g w", "RPUSH d x"}, "COPY h d REPLACE"),
                command("MOVE", new String[] {"SET k v", "PEXPIRE k 100000"}, "MOVE k 1"),
                command("SWAPDB", new String[] {"SET a 1", "SELECT 1", "SET b 2", "SELECT 0"}, "SWAPDB 0 1"),
                command("BLMOVE-at-once", new String[] {"RPUSH s a b", "RPUSH d z"}, "BLMOVE s d LEFT RIGHT 0"),
                command("BZMPOP-at-once", new String[] {"ZADD z 1 a 2 b"}, "BZMPOP 0 1 z MIN COUNT 2"),
                Scenario.of("BLMOVE-served-by-a-push", heap -> new Engine(heap).round("RPUSH d z"), heap -> {
                    Engine e = new Engine(heap);
                    ClientState waiter = new ClientState(2, "waiter", true);
                    heap.transaction(tx -> {
                        assertEquals("", e.run(waiter, "BLMOVE q d LEFT RIGHT 0"), "it blocks");
                        assertEquals(":2\r\n", e.run(e.client, "RPUSH q x y"));
                    });
                    List<io.jpmem.redis.command.Outbox.Message> served = e.dispatcher.outbox().take();
                    assertEquals(1, served.size(), "the waiter was served in the push's transaction");
                    assertEquals("$1\r\nx\r\n", new String(served.getFirst().bytes(), StandardCharsets.UTF_8));
                }),
                restore(),
                script("EVAL-several-writes", "redis.call('set', KEYS[1], ARGV[1]) redis.call('rpush', KEYS[2], 'a', 'b')"
                        + " redis.call('hset', KEYS[3], 'f', ARGV[1]) redis.call('del', 'old') return redis.call('incr', 'n')", ":2\r\n"),
                script("EVAL-failing-after-writes", "redis.call('set', KEYS[1], ARGV[1]) redis.call('rpush', KEYS[2], 'x')"
                        + " return redis.call('incr', KEYS[2])",
                        "-WRONGTYPE Operation against a key holding the wrong kind of value script: "
                                + "b50b4a1c5cfd5a2d4e0c4dfd6eac41f45fc1e7bd, on @user_script:1.\r\n"));
        for (Scenario scenario : scenarios) {
            Explorer.Report report = explorer.explore(scenario);
            assertEquals(List.of(), report.violations(), scenario.name());
            assertTrue(report.crashStates() > 5, scenario.name() + ": " + report.crashStates());
            states += report.crashStates();
        }
        System.out.println("redis crash-states=" + states + " violations=0 seed=" + explorer.options().seed());
    }
}
