package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCAN, HSCAN, SSCAN and ZSCAN: Redis's guarantee across changes between calls (every element
 * present for a whole iteration is returned, whatever grows, shrinks and rehashes happen; nothing
 * that never existed is), cursor "0" at the end, COUNT, MATCH, TYPE, and the errors, reply for
 * reply as redis-server 7.0.15 gives them.
 */
class ScanTest {

    @TempDir
    Path dir;

    /** A scan reply: the next cursor and the elements (for HSCAN/ZSCAN: names and values alternating). */
    private record Reply(String cursor, List<String> elements) {

        static Reply parse(String raw) {
            String[] lines = raw.split("\r\n");
            assertEquals("*2", lines[0], raw);
            List<String> elements = new ArrayList<>();
            for (int i = 5; i < lines.length; i += 2) {
                elements.add(lines[i]);
            }
            assertEquals("*" + elements.size(), lines[3], raw);
            return new Reply(lines[2], elements);
        }
    }

    /** How to grow and shrink one kind of collection with many elements per command. */
    private record Kind(String scan, String key, int slots, Function<List<String>, List<String>> add,
                        Function<List<String>, List<String>> remove) {}

    private static List<String> with(List<String> prefix, List<String> members, Function<String, List<String>> each) {
        List<String> command = new ArrayList<>(prefix);
        members.forEach(m -> command.addAll(each.apply(m)));
        return command;
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("SCAN", null, 1, m -> with(List.of("MSET"), m, x -> List.of(x, "v")), m -> with(List.of("DEL"), m, List::of)),
            new Kind("HSCAN", "h", 2, m -> with(List.of("HSET", "h"), m, x -> List.of(x, "v")), m -> with(List.of("HDEL", "h"), m, List::of)),
            new Kind("SSCAN", "s", 1, m -> with(List.of("SADD", "s"), m, List::of), m -> with(List.of("SREM", "s"), m, List::of)),
            new Kind("ZSCAN", "z", 2, m -> with(List.of("ZADD", "z"), m, x -> List.of("1", x)), m -> with(List.of("ZREM", "z"), m, List::of)));

    @Test
    void elementsPresentThroughoutAreReturnedWhileTheCollectionGrowsAndShrinks() throws Exception {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        System.out.println("ScanTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            for (Kind kind : KINDS) {
                String context = kind.scan() + " seed " + seed;
                Set<String> stable = new HashSet<>();
                for (int i = 0; i < 300; i++) {
                    stable.add("stable:" + i);
                }
                assertTrue(c.call(kind.add().apply(List.copyOf(stable)).toArray(String[]::new)).startsWith(":")
                        || kind.scan().equals("SCAN"), context);
                Set<String> present = new HashSet<>(); // the temporary elements now present
                for (int iteration = 0; iteration < 6; iteration++) {
                    Set<String> everPresent = new HashSet<>(present);
                    Set<String> returned = new HashSet<>();
                    String cursor = "0";
                    int calls = 0;
                    do {
                        List<String> command = new ArrayList<>(List.of(kind.scan()));
                        if (kind.key() != null) {
                            command.add(kind.key());
                        }
                        command.addAll(List.of(cursor, "COUNT", Integer.toString(1 + random.nextInt(20))));
                        Reply reply = Reply.parse(c.call(command.toArray(String[]::new)));
                        for (int i = 0; i < reply.elements().size(); i += kind.slots()) {
                            returned.add(reply.elements().get(i));
                        }
                        cursor = reply.cursor();
                        boolean grow = iteration % 2 == 0 ? present.size() < 3000 : present.size() < 50;
                        List<String> batch = new ArrayList<>();
                        if (grow) {
                            for (int i = 0; i < 40; i++) {
                                String m = "tmp:" + random.nextInt(4000);
                                batch.add(m);
                            }
                            c.call(kind.add().apply(batch).toArray(String[]::new));
                            present.addAll(batch);
                            everPresent.addAll(batch);
                        } else if (!present.isEmpty()) {
                            for (String m : present) {
                                if (batch.size() == 60) {
                                    break;
                                }
                                batch.add(m);
                            }
                            c.call(kind.remove().apply(batch).toArray(String[]::new));
                            batch.forEach(present::remove);
                        }
                        assertTrue(++calls < 100_000, context);
                    } while (!cursor.equals("0"));
                    Set<String> missed = new HashSet<>(stable);
                    missed.removeAll(returned);
                    assertEquals(Set.of(), missed, "present throughout, not returned: iteration " + iteration + ", " + context);
                    Set<String> ghosts = new HashSet<>(returned);
                    ghosts.removeAll(stable);
                    ghosts.removeAll(everPresent);
                    assertEquals(Set.of(), ghosts, "never present, returned: iteration " + iteration + ", " + context);
                }
                c.call("FLUSHALL");
            }
            assertEquals(List.of(), server.heap.check());
        }
    }

    @Test
    void cursorsCountMatchTypeAndErrorsAsRedis() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            String emptyScan = "*2\r\n$1\r\n0\r\n*0\r\n";
            assertEquals(emptyScan, c.call("SCAN", "0"), "an empty database");
            for (int i = 0; i < 100; i++) {
                c.call("SET", "str:" + i, "v");
            }
            c.call("SADD", "set", "a", "b", "c");
            c.call("HSET", "hash", "f", "v");
            c.call("ZADD", "zset", "1.5", "m", "-inf", "n");
            c.call("SET", "gone", "v", "PX", "1");
            Thread.sleep(5);

            Reply all = Reply.parse(c.call("SCAN", "0", "COUNT", "1000"));
            assertEquals("0", all.cursor(), "COUNT beyond the size: one call, finished");
            assertEquals(103, all.elements().size(), "every live key once; the expired one left out: " + all.elements());
            assertFalse(all.elements().contains("gone"));
            Reply first = Reply.parse(c.call("SCAN", "0", "COUNT", "1"));
            assertNotEquals("0", first.cursor());
            assertTrue(first.elements().size() < 10, "COUNT 1 returns a bucket or a few: " + first.elements());
            assertEquals(List.of("set"), Reply.parse(c.call("SCAN", "0", "TYPE", "SET", "COUNT", "1000")).elements());
            assertEquals(List.of("zset"), Reply.parse(c.call("SCAN", "0", "type", "zset", "COUNT", "1000")).elements());
            assertEquals(List.of(), Reply.parse(c.call("SCAN", "0", "TYPE", "nosuch", "COUNT", "1000")).elements());
            Set<String> matched = new HashSet<>(Reply.parse(c.call("SCAN", "0", "MATCH", "str:1?", "COUNT", "1000")).elements());
            assertEquals(10, matched.size(), matched.toString());
            assertEquals(all.elements().size(),
                    Reply.parse(c.call("SCAN", "", "MATCH", "*", "COUNT", "1000")).elements().size(), "an empty cursor is 0, as strtoul");

            for (String cursor : List.of(" 0", "0x", "1.5", "-", "18446744073709551616", "abc")) {
                assertEquals("-ERR invalid cursor\r\n", c.call("SCAN", cursor), cursor);
                assertEquals("-ERR invalid cursor\r\n", c.call("HSCAN", "nokey", cursor), cursor);
            }
            assertTrue(c.call("SCAN", "18446744073709551615").startsWith("*2\r\n"), "2^64 - 1 is a cursor");
            assertTrue(c.call("SCAN", "-1").startsWith("*2\r\n"), "as is -1 (strtoul)");
            String syntax = "-ERR syntax error\r\n";
            assertEquals(syntax, c.call("SCAN", "0", "COUNT", "0"));
            assertEquals(syntax, c.call("SCAN", "0", "COUNT"));
            assertEquals(syntax, c.call("SCAN", "0", "TYPE"));
            assertEquals(syntax, c.call("SCAN", "0", "FOO", "bar"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SCAN", "0", "COUNT", "x"));
            assertEquals(syntax, c.call("HSCAN", "hash", "0", "TYPE", "hash"), "TYPE is for SCAN only");
            assertEquals(emptyScan, c.call("HSCAN", "nokey", "0", "FOO"), "a missing key: empty before the options are read");
            String wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
            assertEquals(wrongType, c.call("HSCAN", "set", "0"));
            assertEquals(wrongType, c.call("SSCAN", "hash", "0"));
            assertEquals(wrongType, c.call("ZSCAN", "set", "0"));

            assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n", c.call("HSCAN", "hash", "0"));
            assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nb\r\n", c.call("SSCAN", "set", "0", "MATCH", "b"));
            Set<String> zset = new HashSet<>(Reply.parse(c.call("ZSCAN", "zset", "0")).elements());
            assertEquals(Set.of("m", "1.5", "n", "-inf"), zset, "members with their scores");
            c.call("ZADD", "scores", "0.1", "a", "1e100", "b", "-0", "c", "2.5e-5", "d", "4503599627370496", "e");
            assertEquals(Set.of("a", "0.10000000000000001", "b", "1e+100", "c", "-0", "d", "2.5000000000000001e-05", "e",
                    "4503599627370496"), new HashSet<>(Reply.parse(c.call("ZSCAN", "scores", "0")).elements()),
                    "scores as Redis 7.0's ZSCAN formats them (%.17g), not as ZSCORE does");
        }
    }
}
