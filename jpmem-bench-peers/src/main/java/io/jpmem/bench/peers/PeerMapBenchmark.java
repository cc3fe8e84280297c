package io.jpmem.bench.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * get, put and iterate on the same keys, values and operations for every {@link DurableMapUnderTest}:
 * {@code keys} 16-byte keys {@code "key:%012d"} pre-loaded with 64-byte values; get reads a random
 * existing key, put overwrites a random existing key with another 64-byte value (one durable operation
 * per put, at the {@code durability} level), iterate visits every entry once (its score is per pass:
 * divide by {@code keys} for a figure per entry). Single-threaded.
 *
 * <p>Files go to a fresh directory under {@code -Djpmem.bench.dir} (default /dev/shm, a tmpfs: there
 * fsync has no device to write to and is nearly free, so POWER figures measure the software path; give
 * a directory on a disk to measure the device), deleted at tear-down. Lookup keys are distinct String
 * instances from the ones stored (equal content, hash code already computed), so a lookup compares
 * characters rather than stopping at reference equality.
 *
 * <p>Run through {@code bin/jpmem-bench-peers}, which picks the JDK per peer and prints a table.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        // Chronicle Map's list for Java 17+ (harmless for the other maps); native access for JNI/FFM loaders on 25.
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        // No usage reporting from Chronicle (its analytics library is also left out of the jar).
        "-Dchronicle.analytics.disable=true"})
public class PeerMapBenchmark {

    /** Which map: HashMap, ChronicleMap, LMDB, MVStore, RocksDB, or a {@link DurableMapUnderTest.Provider}'s. */
    @Param({"HashMap", "ChronicleMap", "LMDB", "MVStore", "RocksDB"})
    public String map;

    /** PROCESS (process-crash durable) or POWER (power-fail durable); see {@link MapDurability}. */
    @Param({"PROCESS", "POWER"})
    public MapDurability durability;

    /** The size of the key space, all pre-loaded. */
    @Param({"100000"})
    public int keys;

    static final int VALUE_BYTES = 64;
    static final int VALUES = 1024;
    static final int ORDER = 1 << 20;

    DurableMapUnderTest under;
    Path directory;
    String[] lookupKeys;
    byte[][] keyBytes;
    byte[][] values;
    int[] order;
    int next;
    int nextValue;

    /** The key {@code "key:%012d"}: 16 US-ASCII characters. */
    public static String key(int i) {
        return String.format("key:%012d", i);
    }

    /** The bench directory: {@code -Djpmem.bench.dir}, else /dev/shm, else java.io.tmpdir (as jpmem-bench's BenchHeaps). */
    public static Path benchDirectory() throws IOException {
        String configured = System.getProperty("jpmem.bench.dir");
        Path dir = configured != null ? Path.of(configured)
                : Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createDirectories(dir);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        String[] storedKeys = new String[keys];
        lookupKeys = new String[keys];
        keyBytes = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            storedKeys[i] = key(i);
            lookupKeys[i] = new String(storedKeys[i].toCharArray());
            lookupKeys[i].hashCode();
            keyBytes[i] = storedKeys[i].getBytes(StandardCharsets.US_ASCII);
        }
        values = new byte[VALUES][VALUE_BYTES];
        for (byte[] value : values) {
            random.nextBytes(value);
        }
        byte[][] initial = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            initial[i] = values[i % VALUES];
        }
        order = new int[ORDER];
        for (int i = 0; i < ORDER; i++) {
            order[i] = random.nextInt(keys);
        }
        directory = Files.createTempDirectory(benchDirectory(), "jpmem-peers-");
        try {
            under = DurableMapUnderTest.create(map);
            under.open(directory, durability, keys);
            under.load(storedKeys, keyBytes, initial);
        } catch (IOException | RuntimeException | Error e) {
            try {
                tearDown(); // JMH does not tear down a failed set-up: remove the files here
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        System.err.println("# settings: " + under.settings() + "; files in " + directory + "; java " + Runtime.version());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            if (under != null) {
                under.close();
            }
        } finally {
            if (directory != null) {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private int nextKey() {
        int k = order[next];
        next = (next + 1) & (ORDER - 1);
        return k;
    }

    /** The value of a random existing key. */
    @Benchmark
    public byte[] get() {
        int k = nextKey();
        return under.get(lookupKeys[k], keyBytes[k]);
    }

    /** Overwrites a random existing key with another 64-byte value: one durable operation. */
    @Benchmark
    public void put() {
        int k = nextKey();
        under.put(lookupKeys[k], keyBytes[k], values[nextValue++ & (VALUES - 1)]);
    }

    /** Visits every entry once (the score is per pass over {@code keys} entries). */
    @Benchmark
    public long iterate() {
        return under.iterate();
    }
}
