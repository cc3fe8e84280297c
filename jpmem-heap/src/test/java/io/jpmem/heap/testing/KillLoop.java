package io.jpmem.heap.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jpmem.persist.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The loop every SIGKILL test shares: start a child JVM on a heap file, kill it, verify the file,
 * repeat. A kill comes from outside, a random delay after the child prints {@code ready}, or (for a
 * share of the kills) from the child itself at a randomly chosen persist barrier
 * ({@code -Djpmem.test.barrierHook=true} plus the barrier number, see {@link Kill#barrier()}).
 * Every fourth kill runs the child in POWER mode, the others in PROCESS mode. Each run prints
 * {@code <name>: kills=N in-flight=M self-kills=S seed=X}; {@code -Djpmem.seed} replays a run.
 */
public final class KillLoop {

    /**
     * One kill: what the child should be started with. {@code file} is the heap to use: a POWER kill
     * gets a heap of its own beside the loop's file, because a POWER heap on a file keeps a write-ahead
     * log (its recovery replays after-images, never undo entries), while the PROCESS kills exercise the
     * undo-log protocol on the loop's file.
     */
    public record Kill(int index, Durability durability, boolean selfInflicted, long barrier, long childSeed, Path file) {

        /** {@return the JVM option that arms (or not) the barrier hook; pass it first to ChildJvm.start} */
        public String barrierHookOption() {
            return "-Djpmem.test.barrierHook=" + selfInflicted;
        }
    }

    /** Starts the child for one kill. */
    @FunctionalInterface
    public interface Launcher {
        ChildJvm start(Kill kill) throws IOException;
    }

    /** Checks the file after a kill; returns whether the kill landed while an operation was in flight. */
    @FunctionalInterface
    public interface Verifier {
        boolean verify(Path file, String context) throws Exception;
    }

    /**
     * What a run did.
     *
     * @param undoPathKills the kills of heaps on the undo-log protocol (PROCESS), the only ones whose
     *     recovery can say a transaction was in flight: {@code inFlight} counts among them
     */
    public record Result(int kills, int inFlight, int selfKills, long seed, int undoPathKills) {}

    private final String name;
    private final int kills;
    private int selfKillOneIn = 4;
    private long maxBarrier = 4000;
    private int maxDelayMillis = 300;

    private KillLoop(String name, int kills) {
        this.name = name;
        this.kills = kills;
    }

    /** A loop of {@code kills} kills (commonly from a system property with the default). */
    public static KillLoop of(String name, int kills) {
        return new KillLoop(name, kills);
    }

    /** One kill in {@code n} is self-inflicted at a barrier in [20, maxBarrier); 0 for none. */
    public KillLoop selfKills(int n, long maxBarrier) {
        this.selfKillOneIn = n;
        this.maxBarrier = maxBarrier;
        return this;
    }

    /** Outside kills come up to {@code millis} after the child's {@code ready} line. */
    public KillLoop maxDelayMillis(int millis) {
        this.maxDelayMillis = millis;
        return this;
    }

    /** Runs the loop; assertion failures name the seed and the kill. */
    public Result run(Path file, Launcher launcher, Verifier verifier) throws Exception {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        int inFlight = 0;
        int selfKills = 0;
        int undoPathKills = 0;
        Path walFile = file.resolveSibling("logged-" + file.getFileName());
        for (int index = 0; index < kills; index++) {
            boolean self = selfKillOneIn > 0 && random.nextInt(selfKillOneIn) == 0;
            Durability durability = index % 4 == 3 ? Durability.POWER : Durability.PROCESS;
            Kill kill = new Kill(index, durability, self, self ? random.nextLong(20, maxBarrier) : 0,
                    random.nextLong(), durability == Durability.POWER ? walFile : file);
            String context = name + " seed " + seed + " kill " + index;
            try (ChildJvm child = launcher.start(kill)) {
                if (self) {
                    int code = child.waitFor(Duration.ofSeconds(120));
                    assertEquals(137, code, context + ": the child should have killed itself; stderr:\n" + child.stderr());
                    selfKills++;
                } else {
                    child.awaitLine("ready", Duration.ofSeconds(60));
                    Thread.sleep(random.nextInt(maxDelayMillis + 1));
                    child.kill();
                }
                assertFalse(child.stderr().contains("Exception"), context + ": child failed:\n" + child.stderr());
            }
            boolean undoPath = kill.file().equals(file);
            if (Files.exists(kill.file()) && verifier.verify(kill.file(), context + " (" + durability + ")") && undoPath) {
                inFlight++;
            }
            if (undoPath) {
                undoPathKills++;
            }
        }
        System.out.println(name + ": kills=" + kills + " in-flight=" + inFlight + " of " + undoPathKills + " on the undo-log path" + " self-kills=" + selfKills + " seed=" + seed);
        return new Result(kills, inFlight, selfKills, seed, undoPathKills);
    }
}
