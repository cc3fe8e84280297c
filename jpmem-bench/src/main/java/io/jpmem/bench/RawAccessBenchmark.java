package io.jpmem.bench;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * Raw reads and writes of 8-byte words through {@link PersistentHeap} (bounds-checked, through the
 * persistence domain), against a plain Java {@code long[]} in the same run. Writes are not persisted:
 * this is the cost of the access path alone; {@link FlushFenceBenchmark} measures durability.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RawAccessBenchmark {

    /** Words in the working set: 4096 x 8 B = 32 KiB, inside L1/L2 for both sides. */
    static final int WORDS = 4096;

    @Param({"PROCESS", "POWER"})
    public Durability durability;

    PersistentHeap heap;
    long base;
    long[] array;
    int index;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        heap = BenchHeaps.create(durability, 64L << 20);
        base = heap.objectAreaOffset();
        array = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            heap.putLong(base + 8L * i, i);
            array[i] = i;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchHeaps.delete(heap);
    }

    private int next() {
        index = (index + 7) & (WORDS - 1); // strided, predictable, not constant-foldable
        return index;
    }

    @Benchmark
    public long heapGetLong() {
        return heap.getLong(base + 8L * next());
    }

    @Benchmark
    public void heapPutLong() {
        int i = next();
        heap.putLong(base + 8L * i, i);
    }

    @Benchmark
    public long arrayGetLong() {
        return array[next()];
    }

    @Benchmark
    public void arrayPutLong() {
        int i = next();
        array[i] = i;
    }
}
