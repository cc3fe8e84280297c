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
 * The floor of every durable step: store one word, then flush its line and fence
 * ({@link PersistentHeap#persist}). Run under {@code PMEM_IS_PMEM_FORCE=1} for POWER on emulated
 * persistent memory (libpmem), without it for POWER on an ordinary file (msync).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class FlushFenceBenchmark {

    @Param({"PROCESS", "POWER"})
    public Durability durability;

    PersistentHeap heap;
    long base;
    long counter;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        heap = BenchHeaps.create(durability, 64L << 20);
        base = heap.objectAreaOffset();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchHeaps.delete(heap);
    }

    /** One store, then flush + fence of its cache line. */
    @Benchmark
    public void storeFlushFence() {
        long at = base + ((counter++ & 63) << 6); // 64 distinct lines, one store each
        heap.putLong(at, counter);
        heap.persist(at, 8);
    }

    /** A fence with nothing flushed: the fixed cost of an ordering point. */
    @Benchmark
    public void fenceOnly() {
        heap.drain();
    }
}
