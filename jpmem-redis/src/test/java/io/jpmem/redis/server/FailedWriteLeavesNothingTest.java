package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.redis.command.CommandSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every write command, driven with random and bad arguments against keys of every type: whenever
 * it answers an error, the dataset is exactly as before (the dispatcher rolls a failed command back
 * to its savepoint, whatever the command wrote first). {@code -Djpmem.seed} replays a run.
 */
class FailedWriteLeavesNothingTest {

    @TempDir
    Path dir;

    private static final String[] WORDS = {"str", "num", "list", "hash", "set", "zset", "missing", "f", "g", "m",
        "inf", "-inf", "+inf", "nan", "-1", "0", "1", "2", "10", "1.5", "abc", "", "NX", "XX", "GT", "LT", "CH",
        "INCR", "WITHSCORES", "LIMIT", "BY", "STORE", "LEFT", "RIGHT", "BEFORE", "AFTER", "EX", "PX", "KEEPTTL",
        "GET", "COUNT", "9223372036854775807", "-9223372036854775808", "1e400", "REPLACE", "DB"};

    @Test
    void aWriteCommandThatAnswersAnErrorChangesNothing() throws Exception {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        System.out.println("FailedWriteLeavesNothingTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        try (TestServer server = new TestServer(dir, Optional.empty(), 16);
                TestServer.Client c = server.client()) {
            List<CommandSpec> writes = new ArrayList<>();
            for (CommandSpec spec : server.loop.core().commands().all()) {
                if (spec.is(CommandSpec.Flag.WRITE) && !List.of("flushall", "flushdb", "swapdb", "shutdown", "exec",
                        "multi", "select", "move", "debug", "restore", "migrate").contains(spec.name())) {
                    writes.add(spec);
                }
            }
            assertTrue(writes.size() > 40, "write commands found: " + writes.size());
            seed(c);
            String before = digest(c);
            int errors = 0;
            for (CommandSpec spec : writes) {
                for (int trial = 0; trial < 60; trial++) {
                    int count = Math.abs(spec.arity()) - 1 + (spec.arity() < 0 ? random.nextInt(5) : 0);
                    List<String> command = new ArrayList<>(List.of(spec.name()));
                    for (int i = 0; i < count; i++) {
                        command.add(WORDS[random.nextInt(WORDS.length)]);
                    }
                    String reply;
                    if (spec.is(CommandSpec.Flag.BLOCKING)) {
                        // inside MULTI a blocking command never waits (random arguments could block forever)
                        c.call("MULTI");
                        String queued = c.call(command.toArray(String[]::new));
                        reply = queued.startsWith("-") ? queued + c.call("DISCARD") : c.call("EXEC");
                        reply = reply.contains("\r\n-") ? "-" + reply : reply;
                    } else {
                        reply = c.call(command.toArray(String[]::new));
                    }
                    if (reply.startsWith("-")) {
                        errors++;
                        assertEquals(before, digest(c), "after " + command + " answered " + reply.trim() + ", seed " + seed);
                    } else {
                        c.call("FLUSHALL");
                        seed(c);
                    }
                }
            }
            assertTrue(errors > 500, "errors seen: " + errors);
        }
    }

    @Test
    void hincrbyfloatOfInfinityOnAMissingKeyCreatesNoEmptyHash() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16);
                TestServer.Client c = server.client()) {
            assertTrue(c.call("HINCRBYFLOAT", "missing", "f", "inf").startsWith("-ERR"));
            assertEquals(":0\r\n", c.call("EXISTS", "missing"));
            assertEquals(":0\r\n", c.call("DBSIZE"));
        }
    }

    private static void seed(TestServer.Client c) throws IOException {
        c.call("SET", "str", "hello");
        c.call("SET", "num", "41");
        c.call("RPUSH", "list", "a", "b", "c");
        c.call("HSET", "hash", "f", "1", "g", "x");
        c.call("SADD", "set", "1", "2", "m");
        c.call("ZADD", "zset", "1", "m", "2", "n");
        c.call("PEXPIRE", "num", "100000000");
    }

    /** {@return every key with its type, contents and whether it has a TTL} */
    private static String digest(TestServer.Client c) throws IOException {
        TreeMap<String, String> keys = new TreeMap<>();
        String all = c.call("KEYS", "*");
        for (String line : all.split("\r\n")) {
            if (line.startsWith("*") || line.startsWith("$")) {
                continue;
            }
            String type = c.call("TYPE", line).trim();
            String content = switch (type) {
                case "+string" -> c.call("GET", line);
                case "+list" -> c.call("LRANGE", line, "0", "-1");
                case "+hash" -> sorted(c.call("HGETALL", line));
                case "+set" -> sorted(c.call("SMEMBERS", line));
                case "+zset" -> c.call("ZRANGE", line, "0", "-1", "WITHSCORES");
                default -> type;
            };
            keys.put(line, type + " " + content + " ttl:" + !c.call("PTTL", line).equals(":-1\r\n"));
        }
        return keys.toString();
    }

    private static String sorted(String multibulk) {
        List<String> lines = new ArrayList<>(List.of(multibulk.split("\r\n")));
        lines.removeFirst();
        lines.sort(null);
        return lines.toString();
    }
}
