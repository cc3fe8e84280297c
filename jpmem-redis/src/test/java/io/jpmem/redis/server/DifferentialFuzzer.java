package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

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
        run(what, seed, count, ours, theirs, generator, command -> false, (command, reply) -> List.of());
    }

    /**
     * {@link #run} with a way back to equal states after a difference that is documented: a command
     * for which {@code alone} holds is sent on its own, and then the commands {@code resync} returns
     * for it and redis-server's reply are sent to both servers (their replies are not compared).
     */
    static void run(String what, long seed, int count, ByteExactClient ours, ByteExactClient theirs,
                    Function<SplittableRandom, List<String>> generator, Predicate<List<String>> alone,
                    BiFunction<List<String>, String, List<List<String>>> resync) throws IOException {
        run(what, seed, count, ours, theirs, generator, alone, resync, (command, reply) -> reply);
    }

    /**
     * {@link #run} comparing replies after {@code normalize} (command, raw reply) on both sides: for
     * replies holding time-dependent values (idle times), which it replaces by a constant.
     */
    static void run(String what, long seed, int count, ByteExactClient ours, ByteExactClient theirs,
                    Function<SplittableRandom, List<String>> generator,
                    BiFunction<List<String>, String, String> normalize) throws IOException {
        run(what, seed, count, ours, theirs, generator, command -> false, (command, reply) -> List.of(), normalize);
    }

    private static void run(String what, long seed, int count, ByteExactClient ours, ByteExactClient theirs,
                    Function<SplittableRandom, List<String>> generator, Predicate<List<String>> alone,
                    BiFunction<List<String>, String, List<List<String>>> resync,
                    BiFunction<List<String>, String, String> normalize) throws IOException {
        System.out.println(what + " fuzzer: seed=" + seed + " commands=" + count + " (-Djpmem.fuzzSeed=" + seed + " reproduces)");
        SplittableRandom random = new SplittableRandom(seed);
        List<String> differences = new ArrayList<>();
        Map<Character, Integer> kinds = new TreeMap<>();
        List<List<String>> batch = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < count && differences.size() < 10; i++) {
            List<String> command = generator.apply(random);
            if (alone.test(command)) {
                sent = send(batch, sent, ours, theirs, differences, kinds, normalize);
                batch.add(command);
                List<String> reply = theirs.pipeline(batch.subList(0, 1));
                batch.clear();
                compare(command, normalize.apply(command, ours.call(command)), normalize.apply(command, reply.getFirst()), sent++,
                        differences, kinds, List.of());
                List<List<String>> again = resync.apply(command, reply.getFirst());
                if (!again.isEmpty()) {
                    ours.pipeline(again);
                    theirs.pipeline(again);
                }
                continue;
            }
            batch.add(command);
            if (batch.size() == BATCH) {
                sent = send(batch, sent, ours, theirs, differences, kinds, normalize);
            }
        }
        send(batch, sent, ours, theirs, differences, kinds, normalize);
        System.out.println(what + " fuzzer: redis-server's replies by RESP type " + kinds);
        if (!differences.isEmpty()) {
            fail(what + " fuzzer, seed " + seed + ": replies differ from redis-server\n" + String.join("\n", differences));
        }
    }

    /** Sends a batch to both, compares, empties it; {@return the number of commands sent so far} */
    private static int send(List<List<String>> batch, int sent, ByteExactClient ours, ByteExactClient theirs,
                            List<String> differences, Map<Character, Integer> kinds,
                            BiFunction<List<String>, String, String> normalize) throws IOException {
        if (batch.isEmpty()) {
            return sent;
        }
        List<String> a = ours.pipeline(batch);
        List<String> b = theirs.pipeline(batch);
        for (int i = 0; i < batch.size(); i++) {
            compare(batch.get(i), normalize.apply(batch.get(i), a.get(i)), normalize.apply(batch.get(i), b.get(i)), sent + i, differences, kinds, batch.subList(Math.max(0, i - 8), i));
        }
        int next = sent + batch.size();
        batch.clear();
        return next;
    }

    private static void compare(List<String> command, String ours, String theirs, int index, List<String> differences,
                                Map<Character, Integer> kinds, List<List<String>> before) {
        kinds.merge(theirs.charAt(0), 1, Integer::sum);
        if (!ours.equals(theirs)) {
            List<String> recent = new ArrayList<>();
            for (List<String> c : before) {
                recent.add(clip(ByteExactClient.printable(String.join(" ", c))));
            }
            differences.add("#" + index + " " + clip(ByteExactClient.printable(String.join(" ", command)))
                    + "\n  jpmem: " + clip(ByteExactClient.printable(ours))
                    + "\n  redis: " + clip(ByteExactClient.printable(theirs))
                    + "\n  after: " + String.join(" | ", recent));
        }
    }

    private static String clip(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "...(" + text.length() + " chars)" : text;
    }
}
