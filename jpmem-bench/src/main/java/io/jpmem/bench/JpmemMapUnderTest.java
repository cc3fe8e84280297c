package io.jpmem.bench;

import io.jpmem.bench.peers.DurableMapUnderTest;
import io.jpmem.bench.peers.MapDurability;
import io.jpmem.heap.HeapOptions;
import io.jpmem.collections.PHashMap;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * jpmem's persistent hash map in {@link io.jpmem.bench.peers.PeerMapBenchmark}, under the name
 * {@code PHashMap}: {@code bin/jpmem-bench-peers} (or {@code bin/jpmem-bench PeerMapBenchmark -p
 * map=PHashMap}) measures it on the same keys, values and operations as the peers, on JDK 25.
 *
 * <p>A fresh heap file in the benchmark's directory at jpmem's own {@link Durability} of the same
 * name (PROCESS: stores in the mapped file; POWER: flush + fence per durable step, libpmem under
 * {@code PMEM_IS_PMEM_FORCE=1}, else msync), made the {@linkplain ObjectSpace#setDefault default
 * space}; the map is a {@code java.util.Map<String, byte[]>} that copies keys and values in, named by
 * the root {@code "peers"}. Each put is one failure-atomic transaction (the map's own); {@link #load}
 * puts the initial entries 1,000 to a transaction.
 *
 */
public final class JpmemMapUnderTest implements DurableMapUnderTest {

    /** Registers {@code PHashMap} with the peer benchmark (META-INF/services). */
    public static final class Provider implements DurableMapUnderTest.Provider {
        @Override
        public DurableMapUnderTest create(String name) {
            return name.equalsIgnoreCase("PHashMap") ? new JpmemMapUnderTest() : null;
        }
    }

    /** Initial entries per loading transaction (bounded so that one transaction's log stays small). */
    private static final int LOAD_BATCH = 1000;

    private PersistentHeap heap;
    private Map<String, byte[]> map;

    /** {@return a new PHashMap under the root "peers"} */
    static Map<String, byte[]> newPersistentMap(PersistentHeap heap) {
        return heap.transactionResult(tx -> {
            PHashMap<String, byte[]> created = new PHashMap<>();
            ObjectSpace.of(heap).setRoot("peers", created);
            return created;
        });
    }

    @Override
    public String name() {
        return "PHashMap";
    }

    @Override
    public void open(Path directory, MapDurability durability, int expectedEntries) throws IOException {
        heap = PersistentHeap.create(directory.resolve("map.heap"), HeapOptions.defaults()
                .withDurability(Durability.valueOf(durability.name()))
                .withMaxByteSize(Math.max(256L << 20, expectedEntries * 4096L)));
        ObjectSpace.setDefault(heap);
        try {
            map = newPersistentMap(heap);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String settings() {
        return "jpmem PHashMap: durability " + heap.durability() + " via " + heap.flushMechanism().label()
                + ", one transaction per put";
    }

    @Override
    public void load(String[] keys, byte[][] keyBytes, byte[][] values) {
        for (int from = 0; from < keys.length; from += LOAD_BATCH) {
            int start = from;
            heap.transaction(tx -> {
                for (int i = start; i < Math.min(keys.length, start + LOAD_BATCH); i++) {
                    map.put(keys[i], values[i]);
                }
            });
        }
    }

    @Override
    public void put(String key, byte[] keyBytes, byte[] value) {
        map.put(key, value);
    }

    @Override
    public byte[] get(String key, byte[] keyBytes) {
        return map.get(key);
    }

    @Override
    public long iterate() {
        long sum = 0;
        for (Map.Entry<String, byte[]> e : map.entrySet()) {
            sum += e.getKey().length() + e.getValue()[0];
        }
        return sum;
    }

    @Override
    public void close() {
        if (heap != null) {
            ObjectSpace.setDefault(null);
            heap.close();
            heap = null;
            map = null;
        }
    }
}
