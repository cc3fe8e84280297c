package io.jpmem.bench;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.TypeLayout;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.util.Arrays;
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
 * Transactions against the libpmemobj anchor (DESIGN.md): a transaction that
 * allocates 64 bytes, one that updates 1 field, and one that updates 8 fields on 8 cache lines.
 * Run POWER under {@code PMEM_IS_PMEM_FORCE=1} for emulated persistent memory (libpmem).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TransactionBenchmark {

    @Param({"PROCESS", "POWER"})
    public Durability durability;

    PersistentHeap heap;
    HeapType bytes64;
    long field;
    long lines;
    long counter;
    long[] allocated = new long[1 << 16];
    int allocatedCount;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        heap = BenchHeaps.create(durability, 4L << 30);
        bytes64 = heap.types().register(TypeLayout.ofArray("bench.Bytes", FieldKind.BYTE));
        HeapType longs = heap.types().register(TypeLayout.ofArray("bench.Longs", FieldKind.LONG));
        field = heap.transactionResult(tx -> tx.allocateArray(longs, 1));
        lines = heap.transactionResult(tx -> tx.allocateArray(longs, 8 * 8 + 8));
        lines = (lines + 63) & -64; // 8 fields, one per cache line
        heap.roots().create("field", field);
    }

    @TearDown(Level.Iteration)
    public void freeAllocated() {
        for (int from = 0; from < allocatedCount; from += 1000) {
            int start = from;
            heap.transaction(tx -> {
                for (int i = start; i < Math.min(allocatedCount, start + 1000); i++) {
                    tx.free(allocated[i]);
                }
            });
        }
        allocatedCount = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchHeaps.delete(heap);
    }

    /** A transaction that allocates one 64-byte block and commits (libpmemobj: 1,022 ns). */
    @Benchmark
    public long allocate64() {
        long block = heap.transactionResult(tx -> tx.allocateArray(bytes64, 64));
        if (allocatedCount == allocated.length) {
            allocated = Arrays.copyOf(allocated, allocatedCount * 2);
        }
        allocated[allocatedCount++] = block;
        return block;
    }

    /** A transaction that updates one field (libpmemobj: 952 ns). */
    @Benchmark
    public void update1Field() {
        heap.transaction(tx -> tx.putLong(field, ++counter));
    }

    /**
     * The same 8 fields after one {@code snapshot} of their 512-byte range (PMDK's add_range of the
     * object): one undo entry and one fence instead of eight.
     */
    @Benchmark
    public void update8FieldsOn8LinesSnapshot() {
        long value = ++counter;
        heap.transaction(tx -> {
            tx.snapshot(lines, 512);
            for (int i = 0; i < 8; i++) {
                tx.putLong(lines + 64L * i, value);
            }
        });
    }

    /** A transaction that updates 8 fields on 8 cache lines (libpmemobj: 3,901 ns). */
    @Benchmark
    public void update8FieldsOn8Lines() {
        long value = ++counter;
        heap.transaction(tx -> {
            for (int i = 0; i < 8; i++) {
                tx.putLong(lines + 64L * i, value);
            }
        });
    }
}
