package io.jpmem.bench;

import io.jpmem.collections.PHashMap;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
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
 * {@link PHashMap} against {@link HashMap} in the same run: get, put that overwrites, put
 * that inserts, and a pass over the values, with String keys ({@code "key:<n>"}) and 16-byte String
 * values, {@code size} entries. Every PHashMap mutation is its own transaction (durable when it
 * returns in POWER mode). {@code set} is PHashMap's put that does not read the previous value.
 * Run POWER under {@code PMEM_IS_PMEM_FORCE=1} for emulated persistent memory (libpmem).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PHashMapBenchmark {

    private static final int INSERT_KEYS = 1 << 20;

    @Param({"PROCESS", "POWER"})
    public Durability durability;

    @Param({"100000"})
    public int size;

    PersistentHeap heap;
    PHashMap<String, String> pmap;
    PHashMap<String, String> pinsert;
    HashMap<String, String> jmap;
    HashMap<String, String> jinsert;
    String[] keys;
    String[] values;
    String[] insertKeys;
    int next;
    int inserted;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        heap = BenchHeaps.create(durability, 4L << 30);
        ObjectSpace space = ObjectSpace.of(heap);
        keys = new String[size];
        values = new String[size];
        for (int i = 0; i < size; i++) {
            keys[i] = "key:" + i;
            values[i] = "value-" + String.format("%010d", i);
        }
        insertKeys = new String[INSERT_KEYS];
        for (int i = 0; i < INSERT_KEYS; i++) {
            insertKeys[i] = "new:" + i;
        }
        heap.transaction(tx -> {
            pmap = new PHashMap<>();
            pinsert = new PHashMap<>();
            space.setRoot("map", pmap);
            space.setRoot("insert", pinsert);
        });
        jmap = new HashMap<>();
        jinsert = new HashMap<>();
        for (int from = 0; from < size; from += 1000) {
            int start = from;
            heap.transaction(tx -> {
                for (int i = start; i < Math.min(size, start + 1000); i++) {
                    pmap.set(keys[i], values[i]);
                }
            });
        }
        for (int i = 0; i < size; i++) {
            jmap.put(keys[i], values[i]);
        }
    }

    @TearDown(Level.Iteration)
    public void removeInserted() {
        for (int from = 0; from < inserted; from += 1000) {
            int start = from;
            heap.transaction(tx -> {
                for (int i = start; i < Math.min(inserted, start + 1000); i++) {
                    pinsert.delete(insertKeys[i]);
                }
            });
        }
        jinsert.clear();
        inserted = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchHeaps.delete(heap);
    }

    private int nextIndex() {
        int i = next + 1;
        if (i == size) {
            i = 0;
        }
        next = i;
        return (int) ((i * 0x9E3779B1L) % size); // a scattered walk over every key
    }

    private String nextInsertKey() {
        String key = insertKeys[inserted];
        inserted = (inserted + 1) & (INSERT_KEYS - 1);
        return key;
    }

    @Benchmark
    public String getP() {
        return pmap.get(keys[nextIndex()]);
    }

    @Benchmark
    public String getJ() {
        return jmap.get(keys[nextIndex()]);
    }

    @Benchmark
    public String putOverwriteP() {
        int i = nextIndex();
        return pmap.put(keys[i], values[size - 1 - i]);
    }

    @Benchmark
    public boolean setOverwriteP() {
        int i = nextIndex();
        return pmap.set(keys[i], values[size - 1 - i]);
    }

    @Benchmark
    public String putOverwriteJ() {
        int i = nextIndex();
        return jmap.put(keys[i], values[size - 1 - i]);
    }

    @Benchmark
    public boolean putInsertP() {
        return pinsert.set(nextInsertKey(), values[next]);
    }

    @Benchmark
    public String putInsertJ() {
        return jinsert.put(nextInsertKey(), values[next]);
    }

    /** One pass over every value (ns per pass; divide by size for ns per entry). */
    @Benchmark
    public long iterateP() {
        long sum = 0;
        for (String value : pmap.values()) {
            sum += value.length();
        }
        return sum;
    }

    @Benchmark
    public long iterateJ() {
        long sum = 0;
        for (String value : jmap.values()) {
            sum += value.length();
        }
        return sum;
    }

    /** A pass over the entries with their keys, as Map users write it. */
    @Benchmark
    public long iterateEntriesP() {
        long sum = 0;
        for (Map.Entry<String, String> e : pmap.entrySet()) {
            sum += e.getKey().length() + e.getValue().length();
        }
        return sum;
    }

    @Benchmark
    public long iterateEntriesJ() {
        long sum = 0;
        for (Map.Entry<String, String> e : jmap.entrySet()) {
            sum += e.getKey().length() + e.getValue().length();
        }
        return sum;
    }
}
