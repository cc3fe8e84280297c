package io.jpmem.bench.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * A map from String keys to byte[] values that survives a restart, as measured by
 * {@link PeerMapBenchmark}: one adapter per peer (Chronicle Map, LMDB, MVStore, RocksDB, and the
 * volatile {@code java.util.HashMap} baseline), and jpmem's own {@code PHashMap} plugged in from
 * jpmem-bench through {@link Provider}.
 *
 * <p>Every key is given in both forms, the String and its precomputed bytes (US-ASCII), so that a
 * byte-oriented store (LMDB, RocksDB) is not charged for encoding the key: the comparison favours
 * the peers there, never jpmem. Values are 64-byte arrays; {@link #get} returns a fresh copy for every
 * durable map (the value leaves the store), the same reference for the HashMap baseline.
 *
 * <p>Life cycle: {@link #open} in an empty directory, {@link #load} the initial entries, then any
 * number of {@link #put}, {@link #get} and {@link #iterate} from a single thread, then {@link #close}.
 */
public interface DurableMapUnderTest extends AutoCloseable {

    /** The name used for the benchmark's {@code map} parameter. */
    String name();

    /**
     * Opens (creates) the map in {@code directory}, which exists and is empty, at the given durability.
     *
     * @param expectedEntries the number of distinct keys that will be stored (for stores that size up front)
     */
    void open(Path directory, MapDurability durability, int expectedEntries) throws IOException;

    /**
     * One line saying which of the store's settings give the durability passed to {@link #open}, and
     * what they guarantee when a put returns; printed at set-up so that every result says how it was made.
     */
    String settings();

    /**
     * Stores the initial entries. Not measured: a store may do it in one batch (one transaction, one
     * write batch), but the entries must be durable at the map's level when it returns.
     */
    default void load(String[] keys, byte[][] keyBytes, byte[][] values) throws IOException {
        for (int i = 0; i < keys.length; i++) {
            put(keys[i], keyBytes[i], values[i]);
        }
    }

    /**
     * Maps the key to the value (replacing an existing value), durable at the map's level when it
     * returns: one atomic operation (one transaction, one commit) per call.
     */
    void put(String key, byte[] keyBytes, byte[] value);

    /** The value of the key, or null. */
    byte[] get(String key, byte[] keyBytes);

    /**
     * Visits every entry once, reading each key's length and each value's first byte, and returns a
     * checksum of those; a store may do it without copying the entry out (a cursor over mapped memory).
     */
    long iterate();

    /** Closes the store (its files are deleted by the caller). */
    @Override
    void close() throws IOException;

    /**
     * Extra maps found through {@link ServiceLoader} (META-INF/services), such as jpmem's own, which
     * lives in jpmem-bench because it needs JDK 25.
     */
    interface Provider {
        /** A new, unopened map under test named {@code name}, or null if this provider has none such. */
        DurableMapUnderTest create(String name);
    }

    /** The map under test named {@code name} (case-insensitive): a built-in peer or one from a {@link Provider}. */
    static DurableMapUnderTest create(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "hashmap": return new HashMapUnderTest();
            case "chroniclemap": return new ChronicleMapUnderTest();
            case "lmdb": return new LmdbMapUnderTest();
            case "mvstore": return new MvStoreMapUnderTest();
            case "rocksdb": return new RocksDbMapUnderTest();
            default:
                for (Provider provider : ServiceLoader.load(Provider.class)) {
                    DurableMapUnderTest map = provider.create(name);
                    if (map != null) {
                        return map;
                    }
                }
                throw new IllegalArgumentException("no map under test named " + name
                        + " (built in: HashMap, ChronicleMap, LMDB, MVStore, RocksDB; others through "
                        + Provider.class.getName() + ")");
        }
    }
}
