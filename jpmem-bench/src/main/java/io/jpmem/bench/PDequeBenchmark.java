package io.jpmem.bench;

import io.jpmem.collections.PDeque;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 * PDeque against ArrayDeque (and ArrayList for index access) in the same run, on a Redis-list-like
 * workload over {@code size} Long elements: a push at one end with a pop at the other (queue steady
 * state: LPUSH + RPOP), a get by index (LINDEX), a range of 100 (LRANGE 0 99) and a full iteration. Each
 * PDeque write is one transaction of its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PDequeBenchmark {

    @Param({"PROCESS", "POWER"})
    public Durability durability;

    @Param({"10000"})
    public int size;

    PersistentHeap heap;
    PDeque<Long> pdeque;
    ArrayDeque<Long> arrayDeque;
    List<Long> arrayList;
    int next;
    long value;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        heap = BenchHeaps.create(durability, 4L << 30);
        ObjectSpace.setDefault(heap);
        arrayDeque = new ArrayDeque<>();
        for (long i = 0; i < size; i++) {
            arrayDeque.addLast(i);
        }
        arrayList = new ArrayList<>(arrayDeque);
        pdeque = new PDeque<>();
        pdeque.addAll(arrayDeque);
        ObjectSpace.of(heap).setRoot("deque", pdeque);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ObjectSpace.setDefault(null);
        BenchHeaps.delete(heap);
    }

    private int index() {
        int i = next + 1;
        next = i == size ? 0 : i;
        return next;
    }

    /** LPUSH + RPOP: two transactions. */
    @Benchmark
    public Long pushFirstPopLastPDeque() {
        pdeque.addFirst(++value);
        return pdeque.pollLast();
    }

    @Benchmark
    public Long pushFirstPopLastArrayDeque() {
        arrayDeque.addFirst(++value);
        return arrayDeque.pollLast();
    }

    @Benchmark
    public Long getPDeque() {
        return pdeque.get(index());
    }

    @Benchmark
    public Long getArrayList() {
        return arrayList.get(index());
    }

    @Benchmark
    public List<Long> range100PDeque() {
        return pdeque.range(0, 100);
    }

    @Benchmark
    public List<Long> range100ArrayList() {
        return new ArrayList<>(arrayList.subList(0, 100));
    }

    /** One pass over all elements; divide by size for the cost per element. */
    @Benchmark
    public long iteratePDeque() {
        long sum = 0;
        for (Long v : pdeque) {
            sum += v;
        }
        return sum;
    }

    @Benchmark
    public long iterateArrayDeque() {
        long sum = 0;
        for (Long v : arrayDeque) {
            sum += v;
        }
        return sum;
    }
}
