package io.jpmem.explorer;

import io.jpmem.heap.AccessMode;
import io.jpmem.heap.JpmemException;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.persist.Durability;
import io.jpmem.persist.SimulatedDomain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;

/**
 * The power-fail explorer. It runs a {@link Scenario}'s operation on a SIMULATED heap and stops at
 * every crash point: after every store and after every fence. At each point it builds the images a
 * power failure could leave — the durable image plus a subset of the 8-byte words stored since
 * their line was last flushed: every subset when there are at most {@link Options#exhaustiveWords}
 * such words, else {@link Options#sampledSubsets} subsets (none, all, and random ones) — and for
 * each distinct image: opens it (recovery and recovery GC run), runs the heap check, checks that
 * the recovery GC reclaimed no block the scenario did not leave unreachable itself (a crash never
 * leaks) and that no log extension chunk is kept, and compares the canonical {@link HeapDump} with
 * the dumps before and after the operation (or the scenario's allowed states). Some images are also recovered on a SIMULATED domain that is itself crashed at
 * every step of recovery, and recovered again.
 *
 * <p>Everything random comes from {@link Options#seed}: a run is replayed by its seed (two-thread
 * scenarios replay exactly unless a thread blocks on a lock at a hand-off, see {@link Turnstile}).
 *
 * <p>Not thread-safe: one explorer explores one scenario at a time.
 */
public final class Explorer {

    /**
     * How much to explore.
     *
     * @param seed the seed of every random choice
     * @param exhaustiveWords up to this many unflushed words, every subset is tried (2^n images)
     * @param sampledSubsets images tried at a crash point with more unflushed words
     * @param recoveryCrashEvery one image in this many is also crashed during its recovery (0: never)
     * @param workDirectory where image files are written (a tmpfs is fastest)
     */
    public record Options(long seed, int exhaustiveWords, int sampledSubsets, int recoveryCrashEvery, Path workDirectory) {

        /**
         * {@return options from system properties} {@code jpmem.seed} (default: the clock),
         * {@code jpmem.explorer.long=true} for a longer run (12 exhaustive words, 256 samples, a
         * recovery crash every 5 images instead of 10 words, 48 samples, every 40).
         */
        public static Options fromSystemProperties(Path workDirectory) {
            boolean longRun = Boolean.getBoolean("jpmem.explorer.long");
            return new Options(Long.getLong("jpmem.seed", System.nanoTime()), longRun ? 12 : 10, longRun ? 256 : 48,
                    longRun ? 5 : 40, workDirectory);
        }
    }

    /**
     * A crash image that did not recover to an expected state.
     *
     * @param seed the run's seed
     * @param scenario the operation
     * @param crashPoint the index of the event after which the crash happened, and the event
     * @param evictedWords the unflushed words that reached the media in this image
     * @param problem what was wrong: the dump difference, or the check's problems, or the exception
     */
    public record Violation(long seed, String scenario, String crashPoint, String evictedWords, String problem) {
        @Override
        public String toString() {
            return "VIOLATION seed=" + seed + " operation=" + scenario + " crash-point=" + crashPoint
                    + " evicted=" + evictedWords + "\n" + problem;
        }
    }

    /** What exploring one scenario found. */
    public record Report(String scenario, long crashPoints, long crashStates, List<Violation> violations) {}

    /** A crash point, kept compactly until the operation has finished. */
    private record CrashPoint(String name, byte[] durableCompressed, int durableHash, long[] offsets, long[] values) {}

    private final Options options;
    private int files;
    /** Unreachable blocks the scenario itself leaves before or after its operation: a recovery may reclaim those. */
    private long allowedLeaks;

    public Explorer(Options options) {
        this.options = options;
    }

    /** {@return the options} */
    public Options options() {
        return options;
    }

    /** Explores one scenario. */
    public Report explore(Scenario scenario) {
        SplittableRandom random = new SplittableRandom(options.seed() ^ scenario.name().hashCode());
        Path file = newHeap(scenario);
        List<CrashPoint> points = new ArrayList<>();
        String before;
        String after;
        PersistentHeap heap = PersistentHeap.open(file, AccessMode.READ_WRITE,
                scenario.options().withDurability(Durability.SIMULATED));
        try {
            scenario.setUp(heap);
            before = HeapDump.of(heap);
            long leaksBefore = heap.unreachableBlocks();
            if (scenario instanceof ConcurrentScenario concurrent && concurrent.reopen) {
                heap.close(); // the operations meet a freshly opened heap: no chunk loaded yet
                heap = PersistentHeap.open(file, AccessMode.READ_WRITE, scenario.options().withDurability(Durability.SIMULATED));
            }
            SimulatedDomain domain = (SimulatedDomain) HeapSpi.domain(heap);
            int[] index = {0};
            Consumer<SimulatedDomain.Event> recorder = event -> points.add(capture(domain, index[0]++ + " " + event));
            if (scenario instanceof ConcurrentScenario concurrent) {
                concurrent.alone = Set.of(runAlone(concurrent, concurrent.first), runAlone(concurrent, concurrent.second));
                runInterleaved(heap, domain, concurrent, recorder, random);
            } else {
                domain.onEvent(recorder);
                scenario.run(heap);
            }
            domain.onEvent(event -> { });
            after = HeapDump.of(heap);
            allowedLeaks = Math.max(leaksBefore, heap.unreachableBlocks()); // the scenario's own, if any
        } finally {
            heap.close();
            delete(file);
        }
        Set<String> expected = Set.of(before, after);
        List<Violation> violations = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long states = 0;
        for (CrashPoint point : points) {
            byte[] durable = decompress(point.durableCompressed());
            for (long[] evicted : subsets(point, random)) {
                String key = point.durableHash() + ":" + effective(durable, point, evicted);
                if (!seen.add(key)) {
                    continue; // the same image as one already checked
                }
                byte[] image = apply(durable, point, evicted);
                states++;
                String problem = check(image, scenario, expected, random, states);
                if (problem != null) {
                    Violation violation = new Violation(options.seed(), scenario.name(), point.name(),
                            Arrays.toString(evicted), problem);
                    violations.add(violation);
                    System.out.println(violation);
                }
            }
        }
        return new Report(scenario.name(), points.size(), states, violations);
    }

    // ------------------------------------------------------------------ running

    private Path newHeap(Scenario scenario) {
        Path file = options.workDirectory().resolve("explore-" + (files++) + ".heap");
        delete(file);
        PersistentHeap.create(file, scenario.options()).close();
        return file;
    }

    private String runAlone(ConcurrentScenario scenario, Consumer<PersistentHeap> operation) {
        Path file = newHeap(scenario);
        try {
            try (PersistentHeap heap = PersistentHeap.open(file, scenario.options())) {
                scenario.setUp.accept(heap);
                if (!scenario.reopen) {
                    operation.accept(heap);
                    return HeapDump.of(heap);
                }
            }
            try (PersistentHeap heap = PersistentHeap.open(file, scenario.options())) {
                operation.accept(heap);
                return HeapDump.of(heap);
            }
        } finally {
            delete(file);
        }
    }

    private static void runInterleaved(PersistentHeap heap, SimulatedDomain domain, ConcurrentScenario scenario,
                                       Consumer<SimulatedDomain.Event> recorder, SplittableRandom random) {
        Turnstile turnstile = new Turnstile(random.split());
        Thread[] threads = new Thread[2];
        Throwable[] failures = new Throwable[2];
        List<Consumer<PersistentHeap>> operations = List.of(scenario.first, scenario.second);
        domain.onEvent(event -> {
            recorder.accept(event);
            for (int id = 0; id < 2; id++) {
                if (Thread.currentThread() == threads[id]) {
                    turnstile.step(id);
                }
            }
        });
        for (int id = 0; id < 2; id++) {
            int self = id;
            threads[id] = Thread.ofPlatform().unstarted(() -> {
                try {
                    turnstile.step(self);
                    operations.get(self).accept(heap);
                } catch (Throwable t) {
                    failures[self] = t;
                } finally {
                    turnstile.finish(self);
                }
            });
        }
        threads[0].start();
        threads[1].start();
        try {
            threads[0].join();
            threads[1].join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        for (Throwable failure : failures) {
            if (failure != null) {
                throw new IllegalStateException("a concurrent operation failed", failure);
            }
        }
    }

    private static CrashPoint capture(SimulatedDomain domain, String name) {
        byte[] durable = domain.durableImage();
        long[] offsets = domain.unflushedWordOffsets();
        byte[] live = domain.crashImage(word -> true);
        long[] values = new long[offsets.length];
        ByteBuffer view = ByteBuffer.wrap(live).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < offsets.length; i++) {
            values[i] = view.getLong((int) offsets[i]);
        }
        return new CrashPoint(name, compress(durable), Arrays.hashCode(durable), offsets, values);
    }

    // ------------------------------------------------------------------ images

    /** {@return the subsets of unflushed words to evict at a point, as word offsets} */
    private List<long[]> subsets(CrashPoint point, SplittableRandom random) {
        int n = point.offsets().length;
        List<long[]> result = new ArrayList<>();
        if (n <= options.exhaustiveWords()) {
            for (int mask = 0; mask < 1 << n; mask++) {
                result.add(select(point.offsets(), mask));
            }
            return result;
        }
        result.add(new long[0]);
        result.add(point.offsets().clone());
        for (int i = 2; i < options.sampledSubsets(); i++) {
            long[] chosen = Arrays.stream(point.offsets()).filter(offset -> random.nextBoolean()).toArray();
            result.add(chosen);
        }
        return result;
    }

    private static long[] select(long[] offsets, int mask) {
        long[] chosen = new long[Integer.bitCount(mask)];
        for (int i = 0, j = 0; i < offsets.length; i++) {
            if ((mask & (1 << i)) != 0) {
                chosen[j++] = offsets[i];
            }
        }
        return chosen;
    }

    /** The evicted words whose value differs from the durable image: what makes an image distinct. */
    private static String effective(byte[] durable, CrashPoint point, long[] evicted) {
        ByteBuffer view = ByteBuffer.wrap(durable).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder key = new StringBuilder();
        for (long offset : evicted) {
            long value = point.values()[Arrays.binarySearch(point.offsets(), offset)];
            if (view.getLong((int) offset) != value) {
                key.append(offset).append('=').append(value).append(',');
            }
        }
        return key.toString();
    }

    private static byte[] apply(byte[] durable, CrashPoint point, long[] evicted) {
        byte[] image = durable.clone();
        ByteBuffer view = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (long offset : evicted) {
            view.putLong((int) offset, point.values()[Arrays.binarySearch(point.offsets(), offset)]);
        }
        return image;
    }

    // ------------------------------------------------------------------ checking

    /** {@return null if the image recovers to an expected state, else what is wrong} */
    private String check(byte[] image, Scenario scenario, Set<String> expected, SplittableRandom random, long state) {
        Path file = options.workDirectory().resolve("image.heap");
        String problem = recoverAndJudge(file, image, scenario, expected);
        if (problem == null && options.recoveryCrashEvery() > 0 && state % options.recoveryCrashEvery() == 0) {
            problem = crashDuringRecovery(image, scenario, expected, random);
        }
        return problem;
    }

    private String recoverAndJudge(Path file, byte[] image, Scenario scenario, Set<String> expected) {
        try {
            writeSparse(file, image);
            try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
                List<String> problems = heap.check();
                if (!problems.isEmpty()) {
                    return "heap check: " + problems;
                }
                long leaked = heap.recoveryReport().reclaimedBlocks();
                if (leaked > allowedLeaks) { // allocation is transactional: a crash never leaves an unreachable block
                    return "the recovery GC reclaimed " + leaked + " blocks: the crash leaked them";
                }
                long logBytes = heap.allocationStats().logBytes();
                if (logBytes != 0) { // between transactions no slot needs an extension: an open frees them all
                    return "recovery kept " + logBytes + " bytes of log extension chunks";
                }
                String dump = HeapDump.of(heap);
                if (!expected.contains(dump) && !scenario.allowed(dump)) {
                    return difference(dump, expected);
                }
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JpmemException | IllegalStateException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return "recovery failed: " + e;
        }
    }

    /** Recovers {@code image} on a SIMULATED domain, crashing it at every store and fence, then recovers each crash. */
    private String crashDuringRecovery(byte[] image, Scenario scenario, Set<String> expected, SplittableRandom random) {
        Path file = options.workDirectory().resolve("recovering.heap");
        List<byte[]> crashes = new ArrayList<>();
        try {
            writeSparse(file, image);
            SimulatedDomain.withListenerForNewDomains(
                    (domain, event) -> crashes.add(domain.crashImage(word -> random.nextBoolean())),
                    () -> PersistentHeap.open(file, AccessMode.READ_WRITE,
                            scenario.options().withDurability(Durability.SIMULATED)).close());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JpmemException | IllegalStateException e) {
            return "recovery failed: " + e;
        }
        for (int i = 0; i < crashes.size(); i++) {
            String problem = recoverAndJudge(options.workDirectory().resolve("image.heap"), crashes.get(i), scenario, expected);
            if (problem != null) {
                return "after a crash at step " + i + " of recovery, recovering again: " + problem;
            }
        }
        return null;
    }

    /** Writes an image as a sparse file: only its non-zero pages (images are mostly empty heap). */
    private static void writeSparse(Path file, byte[] image) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            int page = 4096;
            for (int at = 0; at < image.length; at += page) {
                int length = Math.min(page, image.length - at);
                if (!Arrays.equals(image, at, at + length, ZERO_PAGE, 0, length)) {
                    ByteBuffer buffer = ByteBuffer.wrap(image, at, length);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer, at + (length - buffer.remaining()));
                    }
                }
            }
            if (channel.size() < image.length) {
                channel.write(ByteBuffer.allocate(1), image.length - 1L);
            }
        }
    }

    private static final byte[] ZERO_PAGE = new byte[4096];

    private static String difference(String dump, Set<String> expected) {
        StringBuilder out = new StringBuilder("recovered to a state that is neither before nor after:\n");
        for (String candidate : expected) {
            Set<String> got = new LinkedHashSet<>(List.of(dump.split("\n")));
            Set<String> want = new LinkedHashSet<>(List.of(candidate.split("\n")));
            Set<String> extra = new LinkedHashSet<>(got);
            extra.removeAll(want);
            Set<String> missing = new LinkedHashSet<>(want);
            missing.removeAll(got);
            out.append("  against a candidate: unexpected ").append(extra).append(", missing ").append(missing).append('\n');
        }
        return out.toString();
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] compress(byte[] bytes) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(bytes);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] decompress(byte[] compressed) {
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
