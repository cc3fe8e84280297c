package io.jpmem.bench;

import io.jpmem.collections.PList;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.io.IOException;
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
 * PList against ArrayList in the same run: get, set, add and iterate over {@code size} Long elements
 * (stored in the PList as 8-byte value copies, so a get builds a Long and a set allocates one copy and
 * frees another). Each PList write is one transaction of its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PListBenchmark {

    @Param({"PROCESS", "POWER"})
    public Durability durability;

    @Param({"10000"})
    public int size;

    PersistentHeap heap;
    PList<Long> plist;
    List<Long> arrayList;
    int next;
    long value;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        heap = BenchHeaps.create(durability, 4L << 30);
        ObjectSpace.setDefault(heap);
        arrayList = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            arrayList.add(i);
        }
        plist = new PList<>(arrayList);
        ObjectSpace.of(heap).setRoot("list", plist);
    }

    @TearDown(Level.Iteration)
    public void backToSize() {
        if (plist.size() > size) {
            plist.subList(size, plist.size()).clear();
        }
        if (arrayList.size() > size) {
            arrayList.subList(size, arrayList.size()).clear();
        }
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

    @Benchmark
    public Long getPList() {
        return plist.get(index());
    }

    @Benchmark
    public Long getArrayList() {
        return arrayList.get(index());
    }

    @Benchmark
    public Long setPList() {
        return plist.set(index(), ++value);
    }

    @Benchmark
    public Long setArrayList() {
        return arrayList.set(index(), ++value);
    }

    @Benchmark
    public boolean addPList() {
        return plist.add(++value);
    }

    @Benchmark
    public boolean addArrayList() {
        return arrayList.add(++value);
    }

    /** One pass over all elements; divide by size for the cost per element. */
    @Benchmark
    public long iteratePList() {
        long sum = 0;
        for (Long v : plist) {
            sum += v;
        }
        return sum;
    }

    @Benchmark
    public long iterateArrayList() {
        long sum = 0;
        for (Long v : arrayList) {
            sum += v;
        }
        return sum;
    }
}
