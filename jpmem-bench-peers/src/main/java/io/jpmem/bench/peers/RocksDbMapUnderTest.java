package io.jpmem.bench.peers;

import java.io.IOException;
import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through rocksdbjni (an LSM tree: a write-ahead log, a memtable, sorted files), default
 * options otherwise.
 * <ul>
 * <li>PROCESS: WAL on, {@code WriteOptions.setSync(false)} (RocksDB's default): each put is appended
 *     to the WAL with write(2) before it returns (manual WAL flush is off), so it survives a process
 *     crash; a power failure can lose the last writes.</li>
 * <li>POWER: WAL on, {@code WriteOptions.setSync(true)}: each put fsyncs (fdatasync) the WAL before it
 *     returns.</li>
 * </ul>
 * Keys and values are byte arrays; get copies the value out through JNI.
 */
public final class RocksDbMapUnderTest implements DurableMapUnderTest {

    static {
        RocksDB.loadLibrary();
    }

    private Options options;
    private WriteOptions writeOptions;
    private RocksDB db;
    private MapDurability durability;

    @Override
    public String name() {
        return "RocksDB";
    }

    @Override
    public void open(Path directory, MapDurability durability, int expectedEntries) throws IOException {
        this.durability = durability;
        options = new Options().setCreateIfMissing(true);
        writeOptions = new WriteOptions().setDisableWAL(false).setSync(durability == MapDurability.POWER);
        try {
            db = RocksDB.open(options, directory.toString());
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public String settings() {
        return "RocksDB " + PeerVersions.get("rocksdbjni") + ": WAL on, WriteOptions.sync="
                + (durability == MapDurability.POWER
                ? "true (WAL fsynced per put: power-fail durable)"
                : "false (WAL written per put, not fsynced: process-crash durable)");
    }

    @Override
    public void load(String[] keys, byte[][] keyBytes, byte[][] values) throws IOException {
        try (WriteBatch batch = new WriteBatch(); WriteOptions sync = new WriteOptions().setSync(true)) {
            for (int i = 0; i < keys.length; i++) {
                batch.put(keyBytes[i], values[i]);
            }
            db.write(sync, batch);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void put(String key, byte[] keyBytes, byte[] value) {
        try {
            db.put(writeOptions, keyBytes, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] get(String key, byte[] keyBytes) {
        try {
            return db.get(keyBytes);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long iterate() {
        long sum = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                sum += it.key().length + it.value()[0];
            }
        }
        return sum;
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
            writeOptions.close();
            options.close();
            db = null;
        }
    }
}
