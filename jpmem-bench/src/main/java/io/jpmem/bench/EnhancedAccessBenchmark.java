package io.jpmem.bench;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Enhanced @Persistent field access, PROCESS durability: a field read and write
 * against a plain Java field and the raw accessors, pointer chasing over 64 persistent references
 * against 64 plain ones, and a transaction of 1 and 8 enhanced field stores.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EnhancedAccessBenchmark {

    static final int CHAIN = 64;

    PersistentHeap heap;
    Cell cell;
    Cell chain;
    Cell[] eight = new Cell[8];
    long raw;
    PlainCell plain;
    PlainCell plainChain;
    long counter;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        heap = BenchHeaps.create(Durability.PROCESS, 64L << 20);
        ObjectSpace.of(heap);
        cell = heap.transactionResult(tx -> new Cell(1, null));
        chain = heap.transactionResult(tx -> {
            Cell head = null;
            for (int i = 0; i < CHAIN; i++) {
                head = new Cell(i, head);
            }
            return head;
        });
        heap.transaction(tx -> {
            for (int i = 0; i < 8; i++) {
                eight[i] = new Cell(i, null);
            }
        });
        raw = ((PersistentObject) cell).$jpmemRef();
        plain = new PlainCell(1, null);
        for (int i = 0; i < CHAIN; i++) {
            plainChain = new PlainCell(i, plainChain);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchHeaps.delete(heap);
    }

    @Benchmark
    public long readEnhancedField() {
        return cell.value;
    }

    @Benchmark
    public long readPlainField() {
        return plain.value;
    }

    @Benchmark
    public long readRawAccessor() {
        return heap.getLong(raw);
    }

    /** Outside a transaction: one aligned store made durable at once (PROCESS: a fence). */
    @Benchmark
    public void writeEnhancedField() {
        cell.value = ++counter;
    }

    @Benchmark
    public void writePlainField() {
        plain.value = ++counter;
    }

    @Benchmark
    public void writeRawAccessor() {
        heap.putLong(raw, ++counter);
    }

    @Benchmark
    public long chaseEnhanced64() {
        long sum = 0;
        for (Cell c = chain; c != null; c = c.next) {
            sum += c.value;
        }
        return sum;
    }

    @Benchmark
    public long chasePlain64() {
        long sum = 0;
        for (PlainCell c = plainChain; c != null; c = c.next) {
            sum += c.value;
        }
        return sum;
    }

    @Benchmark
    public void transactionOf1EnhancedStore() {
        long value = ++counter;
        heap.transaction(tx -> cell.value = value);
    }

    @Benchmark
    public void transactionOf8EnhancedStores() {
        long value = ++counter;
        heap.transaction(tx -> {
            for (Cell c : eight) {
                c.value = value;
            }
        });
    }
}
