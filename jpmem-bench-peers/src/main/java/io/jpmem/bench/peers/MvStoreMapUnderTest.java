package io.jpmem.bench.peers;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2's MVStore (a copy-on-write B-tree in a log-structured file), one {@code MVMap<String, byte[]>},
 * default settings but a retention time of 0 (auto-commit on, as in H2 with WRITE_DELAY 0: its
 * background thread does the housekeeping), and each put committed by {@code MVStore.commit()} before
 * it returns.
 * <ul>
 * <li>PROCESS: {@code commit()} per put: writes the new chunk to the file with FileChannel.write
 *     (page cache), no fsync; survives a process crash, a power failure can lose the last commits.</li>
 * <li>POWER: {@code commit()} then {@code sync()} (FileChannel.force(true), i.e. fsync) per put.</li>
 * </ul>
 * Each commit writes a new chunk (the changed leaf and the path to the root, plus the chunk's
 * metadata). Measured here: the file grows by several MB a second under per-put commits, faster than
 * the housekeeping reclaims it, and puts slow down as it grows (~120 us at the start of a run, several
 * hundred us after 10 s); with auto-commit disabled (no housekeeping) it is no better. MVStore is built
 * for group commit (auto-commit about once a second), which is not durable per operation.
 */
public final class MvStoreMapUnderTest implements DurableMapUnderTest {

    private MVStore store;
    private MVMap<String, byte[]> map;
    private MapDurability durability;

    @Override
    public String name() {
        return "MVStore";
    }

    @Override
    public void open(Path directory, MapDurability durability, int expectedEntries) {
        this.durability = durability;
        // Auto-commit stays on (its background thread does the housekeeping); retention 0 lets chunk space
        // be reused as soon as no version needs it. Each put commits itself.
        store = new MVStore.Builder().fileName(directory.resolve("map.mv.db").toString()).open();
        store.setRetentionTime(0);
        map = store.openMap("bench");
    }

    @Override
    public String settings() {
        return "H2 MVStore " + PeerVersions.get("h2") + ": auto-commit on, retention 0, "
                + (durability == MapDurability.POWER
                ? "commit() + sync() (fsync) per put: power-fail durable"
                : "commit() per put (written to the file, no fsync): process-crash durable");
    }

    @Override
    public void load(String[] keys, byte[][] keyBytes, byte[][] values) {
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], values[i]);
        }
        store.commit();
        store.sync();
    }

    @Override
    public void put(String key, byte[] keyBytes, byte[] value) {
        map.put(key, value);
        store.commit();
        if (durability == MapDurability.POWER) {
            store.sync();
        }
    }

    @Override
    public byte[] get(String key, byte[] keyBytes) {
        byte[] value = map.get(key);
        // MVStore hands out the byte[] it caches in the page: copy it, as every other store does.
        return value == null ? null : value.clone();
    }

    @Override
    public long iterate() {
        long sum = 0;
        for (Iterator<Map.Entry<String, byte[]>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, byte[]> e = it.next();
            sum += e.getKey().length() + e.getValue()[0];
        }
        return sum;
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
