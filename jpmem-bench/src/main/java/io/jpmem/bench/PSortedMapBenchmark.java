package io.jpmem.bench;

import io.jpmem.collections.PSortedMap;
import io.jpmem.collections.SortedKeys;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
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
 * PSortedMap against java.util.TreeMap in the same run, on {@code size} entries with Long, String or
 * score-member ({@code byte[]}, as a Redis sorted set keeps them) keys and Long values: get of a present key, put overwriting a present key, insert of a new key then
 * its removal (two mutations, two transactions), iteration of 100 entries from a random rank, and
 * the rank of a key (TreeMap: {@code headMap(key).size()}, O(n)). PSortedMap runs in PROCESS and
 * POWER durability (POWER on /dev/shm is msync; {@code PMEM_IS_PMEM_FORCE=1} for libpmem).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PSortedMapBenchmark {

    /**
     * The key of index {@code i}, spread so that keys land all over the tree: a Long, a String
     * ("member:" + number), or a Redis sorted-set key ({@code SortedKeys.scoreMember(score, member)}).
     */
    static Object key(String kind, long i) {
        long spread = i * 0x9E3779B97F4A7C15L >>> 20;
        return switch (kind) {
            case "LONG" -> spread;
            case "SCORE" -> SortedKeys.scoreMember(spread / 7.0, ("member:" + i).getBytes(StandardCharsets.UTF_8));
            default -> "member:" + spread;
        };
    }

    /** State shared by both maps: random indices. */
    @State(Scope.Thread)
    public static class Indices {
        final SplittableRandom random = new SplittableRandom(42);
        long fresh = 1L << 40;
    }

    @State(Scope.Thread)
    public static class Persistent {
        @Param({"PROCESS", "POWER"})
        public Durability durability;
        @Param({"LONG", "STRING", "SCORE"})
        public String keys;
        @Param({"100000"})
        public int size;

        PersistentHeap heap;
        PSortedMap<Object, Long> map;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            heap = BenchHeaps.create(durability, 1L << 30);
            map = heap.transactionResult(tx -> new PSortedMap<>());
            heap.roots().create("map", io.jpmem.objects.ObjectSpace.of(heap).refOf(map)); // reachable: no leak for the GC
            for (int from = 0; from < size; from += 1000) {
                int start = from;
                heap.transaction(tx -> {
                    for (int i = start; i < Math.min(size, start + 1000); i++) {
                        map.set(key(keys, i), (long) i);
                    }
                });
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            BenchHeaps.delete(heap);
        }
    }

    @State(Scope.Thread)
    public static class Volatile {
        @Param({"LONG", "STRING", "SCORE"})
        public String keys;
        @Param({"100000"})
        public int size;

        TreeMap<Object, Long> map;

        @Setup(Level.Trial)
        public void setUp() {
            map = keys.equals("SCORE") ? new TreeMap<>((a, b) -> Arrays.compareUnsigned((byte[]) a, (byte[]) b)) : new TreeMap<>();
            for (int i = 0; i < size; i++) {
                map.put(key(keys, i), (long) i);
            }
        }
    }

    // ---- get

    @Benchmark
    public Long getPSortedMap(Persistent s, Indices r) {
        return s.map.get(key(s.keys, r.random.nextInt(s.size)));
    }

    @Benchmark
    public Long getTreeMap(Volatile s, Indices r) {
        return s.map.get(key(s.keys, r.random.nextInt(s.size)));
    }

    // ---- put (overwrite of a present key: the steady state of a map)

    @Benchmark
    public boolean putPSortedMap(Persistent s, Indices r) {
        int i = r.random.nextInt(s.size);
        return s.map.set(key(s.keys, i), (long) i);
    }

    @Benchmark
    public Long putTreeMap(Volatile s, Indices r) {
        int i = r.random.nextInt(s.size);
        return s.map.put(key(s.keys, i), (long) i);
    }

    // ---- insert a new key, then remove it (two mutations)

    @Benchmark
    public boolean insertRemovePSortedMap(Persistent s, Indices r) {
        Object k = key(s.keys, r.fresh++);
        s.map.set(k, 1L);
        return s.map.delete(k);
    }

    @Benchmark
    public Long insertRemoveTreeMap(Volatile s, Indices r) {
        Object k = key(s.keys, r.fresh++);
        s.map.put(k, 1L);
        return s.map.remove(k);
    }

    // ---- iterate 100 entries from a random position

    @Benchmark
    public long iterate100PSortedMap(Persistent s, Indices r) {
        Iterator<Map.Entry<Object, Long>> it = s.map.iteratorFromRank(r.random.nextInt(s.size - 100), false);
        long sum = 0;
        for (int i = 0; i < 100; i++) {
            sum += it.next().getValue();
        }
        return sum;
    }

    @Benchmark
    public long iterate100TreeMap(Volatile s, Indices r) {
        Iterator<Map.Entry<Object, Long>> it = s.map.tailMap(key(s.keys, r.random.nextInt(s.size)), true).entrySet().iterator();
        long sum = 0;
        for (int i = 0; i < 100 && it.hasNext(); i++) {
            sum += it.next().getValue();
        }
        return sum;
    }

    @Benchmark
    public long iterate100KeysPSortedMap(Persistent s, Indices r) {
        Iterator<Object> it = s.map.tailMap(key(s.keys, r.random.nextInt(s.size)), true).keySet().iterator();
        long sum = 0;
        for (int i = 0; i < 100 && it.hasNext(); i++) {
            sum += it.next().hashCode();
        }
        return sum;
    }

    @Benchmark
    public long iterate100KeysTreeMap(Volatile s, Indices r) {
        Iterator<Object> it = s.map.tailMap(key(s.keys, r.random.nextInt(s.size)), true).keySet().iterator();
        long sum = 0;
        for (int i = 0; i < 100 && it.hasNext(); i++) {
            sum += it.next().hashCode();
        }
        return sum;
    }

    // ---- rank of a present key

    @Benchmark
    public long rankPSortedMap(Persistent s, Indices r) {
        return s.map.rankOf(key(s.keys, r.random.nextInt(s.size)));
    }

    @Benchmark
    public long rankTreeMap(Volatile s, Indices r) {
        return s.map.headMap(key(s.keys, r.random.nextInt(s.size))).size();
    }
}
