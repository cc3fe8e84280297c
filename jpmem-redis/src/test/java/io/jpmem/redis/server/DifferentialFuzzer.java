package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A seeded differential fuzzer's driver: commands from a generator go to jpmem-redis and to
 * redis-server in pipelined batches, and every reply must be byte-equal ({@link ByteExactClient}).
 * The seed is printed and is taken from {@code -Djpmem.fuzzSeed} when given (to reproduce a
 * failure); {@code -Djpmem.fuzzCommands} sets how many commands a run sends.
 */
final class DifferentialFuzzer {

    private static final int BATCH = 64;

    private DifferentialFuzzer() {}

    /** {@return the seed of this run: {@code -Djpmem.fuzzSeed}, or a fresh one} */
    static long seed() {
        return Long.getLong("jpmem.fuzzSeed", System.nanoTime());
    }

    /** {@return how many commands a fuzzer sends: {@code -Djpmem.fuzzCommands}, or {@code normal}} */
    static int commands(int normal) {
        return Integer.getInteger("jpmem.fuzzCommands", normal);
    }

    /**
     * Sends {@code count} commands from {@code generator} to both servers and fails, naming the seed
     * and the first differences (each with the commands before it in its batch), if any reply differs.
     */
    static void run(String what, long seed, int count, ByteExactClient ours, ByteExactClient theirs,
                    Function<SplittableRandom, List<String>> generator) throws IOException {
        System.out.println(what + " fuzzer: seed=" + seed + " commands=" + count + " (-Djpmem.fuzzSeed=" + seed + " reproduces)");
        SplittableRandom random = new SplittableRandom(seed);
        List<String> differences = new ArrayList<>();
        java.util.Map<Character, Integer> kinds = new java.util.TreeMap<>();
        for (int sent = 0; sent < count && differences.size() < 10; sent += BATCH) {
            List<List<String>> batch = new ArrayList<>();
            for (int i = 0; i < Math.min(BATCH, count - sent); i++) {
                batch.add(generator.apply(random));
            }
            List<String> a = ours.pipeline(batch);
            List<String> b = theirs.pipeline(batch);
            for (int i = 0; i < batch.size(); i++) {
                kinds.merge(b.get(i).charAt(0), 1, Integer::sum);
                if (!a.get(i).equals(b.get(i))) {
                    differences.add("#" + (sent + i) + " " + ByteExactClient.printable(String.join(" ", batch.get(i)))
                            + "\n  jpmem: " + clip(ByteExactClient.printable(a.get(i)))
                            + "\n  redis: " + clip(ByteExactClient.printable(b.get(i)))
                            + "\n  after: " + recent(batch, i));
                }
            }
        }
        System.out.println(what + " fuzzer: redis-server's replies by RESP type " + kinds);
        if (!differences.isEmpty()) {
            fail(what + " fuzzer, seed " + seed + ": replies differ from redis-server\n" + String.join("\n", differences));
        }
    }

    private static String clip(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "...(" + text.length() + " chars)" : text;
    }

    private static String recent(List<List<String>> batch, int at) {
        List<String> lines = new ArrayList<>();
        for (int i = Math.max(0, at - 8); i < at; i++) {
            lines.add(clip(ByteExactClient.printable(String.join(" ", batch.get(i)))));
        }
        return String.join(" | ", lines);
    }
}
