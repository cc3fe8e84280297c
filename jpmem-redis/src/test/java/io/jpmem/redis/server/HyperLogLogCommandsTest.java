package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PFADD, PFCOUNT and PFMERGE against redis-server, with the HLL strings themselves compared byte for
 * byte (GET): sparse edits and merges of opcodes, the promotion to dense at 3,000 bytes and for a
 * register above 32, the cached cardinality and its stale bit, estimates from one to 200,000
 * elements, multi-key counts and merges of sparse and dense HLLs, and Redis's errors for strings
 * that are not HLLs or are corrupted; then a seeded fuzzer.
 */
class HyperLogLogCommandsTest {

    @TempDir
    Path dir;

    private void withBoth(ByteExactClient.Both body) throws Exception {
        ByteExactClient.withBoth(dir, body);
    }

    private static void assertSame(ByteExactClient ours, ByteExactClient theirs, List<List<String>> commands) throws Exception {
        List<String> a = ours.pipeline(commands);
        List<String> b = theirs.pipeline(commands);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                String line = ByteExactClient.printable(String.join(" ", commands.get(i)));
                differences.add((line.length() > 200 ? line.substring(0, 200) + "..." : line)
                        + "\n  jpmem: " + clip(ByteExactClient.printable(a.get(i))) + "\n  redis: " + clip(ByteExactClient.printable(b.get(i))));
            }
        }
        assertEquals("", String.join("\n", differences.subList(0, Math.min(10, differences.size()))));
    }

    private static String clip(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    private static List<List<String>> lines(String... lines) {
        List<List<String>> out = new ArrayList<>();
        for (String line : lines) {
            out.add(List.of(line.split(" +")));
        }
        return out;
    }

    private static List<String> pfadd(String key, int from, int to) {
        List<String> c = new ArrayList<>(List.of("PFADD", key));
        for (int i = from; i < to; i++) {
            c.add("element:" + i);
        }
        return c;
    }

    @Test
    void smallHllsAndTheirBytes() throws Exception {
        withBoth((a, b) -> assertSame(a, b, lines(
                "PFADD h", "GET h", "PFCOUNT h", "GET h", "PFADD h a", "GET h", "PFADD h a", "PFADD h b c d e f g", "GET h",
                "PFCOUNT h", "GET h", "PFCOUNT h", "PFADD h2 x y z a", "PFCOUNT h h2", "PFCOUNT h nokey", "PFCOUNT nokey",
                "PFMERGE m h h2", "GET m", "PFCOUNT m", "PFMERGE m", "GET m", "PFMERGE new", "GET new", "PFMERGE h2 h", "GET h2",
                "SET s notanhll", "PFADD s a", "PFCOUNT s", "PFCOUNT h s", "PFMERGE m s", "PFMERGE s h", "SET n 12345", "PFADD n x",
                "RPUSH l a", "PFADD l a", "PFCOUNT l", "PFCOUNT h l", "PFMERGE l h", "PFMERGE m l", "PFADD", "PFCOUNT",
                "SET t HYLL", "PFADD t a", "SET x v EX 100", "DEL x", "PFADD x a", "EXPIRE x 100", "PFADD x b", "TTL x")));
    }

    @Test
    void growthPromotionAndEstimatesUpTo200kElements() throws Exception {
        withBoth((a, b) -> {
            List<List<String>> script = new ArrayList<>();
            int added = 0;
            for (int step : new int[] {1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 700, 1000, 1500, 2000, 3000}) {
                script.add(pfadd("grow", added, added + step));
                added += step;
                script.add(List.of("GET", "grow"));
                script.add(List.of("PFCOUNT", "grow"));
                script.add(List.of("GET", "grow"));
            }
            for (int chunk = 0; chunk < 40; chunk++) {
                script.add(pfadd("big", chunk * 5000, chunk * 5000 + 5000));
                script.add(List.of("PFCOUNT", "big"));
            }
            script.add(List.of("GET", "big"));
            script.add(pfadd("other", 0, 300));
            script.add(List.of("PFCOUNT", "grow", "other", "big"));
            script.add(List.of("PFMERGE", "other", "grow"));
            script.add(List.of("GET", "other"));
            script.add(List.of("PFMERGE", "sparse1", "other"));
            script.add(pfadd("s2", 0, 40));
            script.add(List.of("PFMERGE", "s2", "sparse1"));
            script.add(List.of("GET", "s2"));
            script.add(pfadd("s3", 0, 50));
            script.add(pfadd("s4", 1000, 1100));
            script.add(List.of("PFMERGE", "s5", "s3", "s4"));
            script.add(List.of("GET", "s5"));
            script.add(List.of("PFCOUNT", "s5"));
            assertSame(a, b, script);
        });
    }

    @Test
    void aRegisterAbove32PromotesToDense() throws Exception {
        withBoth((a, b) -> {
            // Elements whose hash has many trailing zeros past the register bits are rare; try enough to find some.
            List<List<String>> script = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                script.add(pfadd("h" + i, i * 20_000, i * 20_000 + 20));
                script.add(List.of("GET", "h" + i));
            }
            script.add(pfadd("deep", 0, 1)); // one element, and then values from many others
            for (int i = 0; i < 200; i++) {
                script.add(List.of("PFADD", "deep", "e" + i + "-" + (i * 7919)));
            }
            script.add(List.of("GET", "deep"));
            script.add(List.of("PFCOUNT", "deep"));
            assertSame(a, b, script);
        });
    }

    @Test
    void corruptedHllsGetRedisErrors() throws Exception {
        withBoth((a, b) -> {
            List<List<String>> script = new ArrayList<>(lines("PFADD h a b c", "PFADD d x"));
            script.add(pfadd("d", 0, 3000)); // dense
            script.addAll(lines("SETRANGE h 4 \u0002", "PFADD h z", "PFCOUNT h", "SETRANGE h 4 \u0001", "PFADD h z",
                    "SETRANGE h 16 \u007f", "PFADD h q", "PFCOUNT h", "PFCOUNT h d", "PFMERGE m h", "GET h",
                    "SET c HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080\u0081",
                    "PFADD c a", "PFCOUNT c", "PFCOUNT c d", "PFMERGE m2 c", "EXISTS m2", "APPEND d x", "PFADD d a", "PFCOUNT d",
                    "SET c2 HYLL\u0001\u0000\u0000\u0000\u0005\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u007f\u00ff\u0080",
                    "PFCOUNT c2", "PFADD c2 a b c", "GET c2",
                    "SET c3 HYLL\u0001\u0000\u0000\u0000\u0007\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u007f\u00fe", "PFCOUNT c3",
                    "PFADD c3 a", "PFCOUNT c3 c3", "PFMERGE c3 h", "SETRANGE c3 15 \u0080", "PFCOUNT c3", "GET c3"));
            assertSame(a, b, script);
        });
    }

    // ---- the fuzzer ----

    private static final String[] KEYS = {"p0", "p1", "p2", "p3", "str", "nokey"};

    private static String key(SplittableRandom r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    static List<String> randomCommand(SplittableRandom r, int[] universe) {
        List<String> c = new ArrayList<>();
        switch (r.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5, 6, 7 -> {
                c.addAll(List.of("PFADD", key(r)));
                int n = r.nextInt(10) == 0 ? r.nextInt(400) : r.nextInt(8);
                universe[0] += n / 2;
                for (int i = 0; i < n; i++) {
                    c.add(Integer.toString(r.nextInt(universe[0] + 10)));
                }
            }
            case 8, 9, 10 -> {
                c.add("PFCOUNT");
                int n = r.nextInt(4) == 0 ? 2 + r.nextInt(3) : 1;
                for (int i = 0; i < n; i++) {
                    c.add(key(r));
                }
            }
            case 11, 12 -> {
                c.add("PFMERGE");
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    c.add(key(r));
                }
            }
            case 13, 14 -> c.addAll(List.of("GET", key(r)));
            case 15 -> {
                StringBuilder bytes = new StringBuilder();
                for (int i = r.nextInt(3); i >= 0; i--) {
                    bytes.append((char) r.nextInt(256));
                }
                c.addAll(List.of("SETRANGE", key(r), Integer.toString(r.nextInt(10) == 0 ? 4 : r.nextInt(40)), bytes.toString()));
            }
            case 16 -> c.addAll(r.nextBoolean() ? List.of("DEL", key(r)) : List.of("SET", "str", pick(r)));
            case 17 -> c.addAll(List.of("RPUSH", "nokey", "x"));
            case 18 -> c.addAll(List.of("DEL", "nokey"));
            default -> c.addAll(List.of("STRLEN", key(r)));
        }
        return c;
    }

    private static String pick(SplittableRandom r) {
        return r.nextBoolean() ? "HYLL" : "HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080\u007f\u00ff";
    }

    @Test
    void fuzzedHllCommandsAnswerAsRedisDoes() throws Exception {
        int[] universe = {10};
        java.util.Set<String> maybeCorrupted = new java.util.HashSet<>();
        withBoth((a, b) -> DifferentialFuzzer.run("hyperloglog", DifferentialFuzzer.seed(), DifferentialFuzzer.commands(20_000), a, b,
                r -> randomCommand(r, universe), command -> {
                    String name = command.getFirst();
                    if (name.equals("SETRANGE") || name.equals("SET")) {
                        maybeCorrupted.add(command.get(1));
                    } else if (name.equals("DEL")) {
                        maybeCorrupted.remove(command.get(1));
                    }
                    return name.equals("PFADD") && maybeCorrupted.contains(command.get(1));
                }, HyperLogLogCommandsTest::resync));
    }

    /**
     * A PFADD that meets a corrupted sparse HLL changes nothing here, where Redis keeps the registers
     * it set before (docs/redis.md): the key is deleted on both servers, so that they go on equal.
     */
    private static List<List<String>> resync(List<String> command, String redisReply) {
        return command.getFirst().equals("PFADD") && redisReply.startsWith("-INVALIDOBJ")
                ? List.of(List.of("DEL", command.get(1))) : List.of();
    }
}
