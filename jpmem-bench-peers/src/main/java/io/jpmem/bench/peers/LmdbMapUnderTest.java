package io.jpmem.bench.peers;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava (a copy-on-write B+tree in a memory-mapped file, read through the map and
 * written with write(2)), direct ByteBuffers, one write transaction committed per put.
 * <ul>
 * <li>PROCESS: {@code MDB_NOSYNC} (which implies no meta-page sync either): commit writes the pages
 *     and the meta page to the file with write(2) (page cache) and does not fsync; survives a process
 *     crash. LMDB's documentation: a system crash can lose the last transactions, and can corrupt the
 *     database unless the file system preserves write order (MDB_WRITEMAP is not used here).</li>
 * <li>POWER: default flags: each commit fdatasyncs the data pages, then writes and syncs the meta page.</li>
 * </ul>
 * Reads use one read-only transaction, {@code reset()} and {@code renew()} around each get (LMDB's
 * advice for frequent reads), and copy the value out of the map into a new byte[].
 */
public final class LmdbMapUnderTest implements DurableMapUnderTest {

    private Env<ByteBuffer> env;
    private Dbi<ByteBuffer> db;
    private Txn<ByteBuffer> readTxn;
    private ByteBuffer keyBuffer;
    private ByteBuffer valueBuffer;
    private MapDurability durability;

    @Override
    public String name() {
        return "LMDB";
    }

    @Override
    public void open(Path directory, MapDurability durability, int expectedEntries) {
        this.durability = durability;
        long mapSize = Math.max(64L << 20, expectedEntries * 1024L);
        EnvFlags[] flags = durability == MapDurability.POWER ? new EnvFlags[0] : new EnvFlags[] {EnvFlags.MDB_NOSYNC};
        env = Env.create().setMapSize(mapSize).setMaxDbs(1).setMaxReaders(4).open(directory.toFile(), flags);
        db = env.openDbi("bench", DbiFlags.MDB_CREATE);
        keyBuffer = ByteBuffer.allocateDirect(env.getMaxKeySize());
        valueBuffer = ByteBuffer.allocateDirect(1024);
    }

    @Override
    public String settings() {
        return "LMDB via lmdbjava " + PeerVersions.get("lmdbjava") + ": one write txn committed per put, "
                + (durability == MapDurability.POWER
                ? "default env flags (commit fdatasyncs): power-fail durable"
                : "MDB_NOSYNC (commit writes to the file, no fsync): process-crash durable");
    }

    private ByteBuffer key(byte[] keyBytes) {
        keyBuffer.clear();
        keyBuffer.put(keyBytes).flip();
        return keyBuffer;
    }

    @Override
    public void load(String[] keys, byte[][] keyBytes, byte[][] values) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = 0; i < keys.length; i++) {
                valueBuffer.clear();
                valueBuffer.put(values[i]).flip();
                db.put(txn, key(keyBytes[i]), valueBuffer);
            }
            txn.commit();
        }
        env.sync(true);
        readTxn = env.txnRead();
        readTxn.reset();
    }

    @Override
    public void put(String key, byte[] keyBytes, byte[] value) {
        valueBuffer.clear();
        valueBuffer.put(value).flip();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            db.put(txn, key(keyBytes), valueBuffer);
            txn.commit();
        }
    }

    @Override
    public byte[] get(String key, byte[] keyBytes) {
        readTxn.renew();
        try {
            ByteBuffer found = db.get(readTxn, key(keyBytes));
            if (found == null) {
                return null;
            }
            byte[] value = new byte[found.remaining()];
            found.get(value);
            return value;
        } finally {
            readTxn.reset();
        }
    }

    @Override
    public long iterate() {
        long sum = 0;
        try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> entries = db.iterate(txn)) {
            for (CursorIterable.KeyVal<ByteBuffer> e : entries) {
                sum += e.key().remaining() + e.val().get(e.val().position());
            }
        }
        return sum;
    }

    @Override
    public void close() {
        if (env != null) {
            if (readTxn != null) {
                readTxn.close();
                readTxn = null;
            }
            db.close();
            env.close();
            env = null;
        }
    }
}
