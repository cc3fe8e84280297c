package io.jpmem.redis.rdb;

import io.jpmem.collections.PHashMap;
import io.jpmem.redis.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the dataset as it was at one instant, T0 (when this object was made), as an RDB file, a
 * slice at a time, while the server goes on changing it — a save without fork. Event-loop thread
 * only; the bytes go to an {@link java.io.OutputStream} (for a background save, a pipe to a writer
 * thread).
 *
 * <p><b>Consistency argument.</b> The file must hold exactly the keys that existed at T0, each with
 * its value and expiry of T0. Keys are written two ways: the <em>scan</em> walks each database's
 * key space with the stateless cursor of {@code PHashMap.scan} ({@link #step}); <em>preserve</em>
 * ({@link #preserve}) is called before any command changes a key, while the save runs. Every key
 * written is remembered ({@code written}) and never written twice. Then:
 * <ul>
 *   <li>A key that no command changed since T0 still has its T0 value when the scan meets it;
 *       the scan meets every key present from its start to its end at least once (the cursor's
 *       guarantee), and meeting it again (after a shrink) writes nothing.</li>
 *   <li>A key a command changes after T0 is preserved before that first change: its value then
 *       is still its T0 value (nothing changed it before), and it is written then, or — if it did
 *       not exist (it is new since T0) — only remembered, so the scan skips it later. Later
 *       changes find it remembered and write nothing.</li>
 *   <li>Commands whose changes are not confined to the keys they name in the client's database
 *       (FLUSHDB, FLUSHALL, SWAPDB, MOVE, COPY ... DB, and any command not known to be confined)
 *       first finish the save at once ({@link #finishNow}), as a SAVE would.</li>
 *   <li>Keys removed by expiry (lazy or active) are not preserved: such a key had an expiry at T0
 *       that passed before the save ended, so every load of the file, which happens after that,
 *       drops it anyway.</li>
 * </ul>
 * A key changed without being preserved first would break the argument: {@link #changed} checks
 * it at every change signal and fails the save (nothing is renamed over the old file).
 */
final class SnapshotWriter {

    private record Key(int db, ByteBuffer name) {}

    private final Dataset dataset;
    private final RdbWriter writer;
    private final Set<Key> written = new HashSet<>();
    private int scanDb;
    private long cursor;
    private boolean scanStarted;
    private int selectedDb = -1;
    private boolean scanDone;
    private String broken;

    SnapshotWriter(Dataset dataset, RdbWriter writer, long nowMillis) throws IOException {
        this.dataset = dataset;
        this.writer = writer;
        writer.header().aux("redis-ver", "7.0.15").aux("redis-bits", "64")
                .aux("ctime", Long.toString(nowMillis / 1000)).aux("aof-base", "0");
    }

    /** {@return whether every key has been written} */
    boolean scanDone() {
        return scanDone;
    }

    /** {@return why the save cannot be trusted, or null} */
    String broken() {
        return broken;
    }

    /** Writes up to about {@code budget} keys of the scan. */
    void step(int budget) throws IOException {
        int done = 0;
        List<byte[]> keys = new ArrayList<>();
        while (!scanDone && done < budget) {
            if (scanDb == dataset.databases()) {
                scanDone = true;
                return;
            }
            PHashMap<byte[], Object> dict = dataset.dict(scanDb);
            if (!scanStarted) {
                scanStarted = true;
                if (dict.isEmpty()) {
                    nextDb();
                    continue;
                }
                writer.selectDb(scanDb, dict.longSize(), dataset.expires(scanDb).longSize());
                selectedDb = scanDb;
            }
            keys.clear();
            cursor = dict.scanKeys(cursor, keys::add);
            for (byte[] key : keys) {
                if (written.add(new Key(scanDb, ByteBuffer.wrap(key)))) {
                    write(scanDb, key, dict.get(key));
                }
                done++;
            }
            if (cursor == 0) {
                nextDb();
            }
            done++; // an empty bucket costs a step too
        }
    }

    private void nextDb() {
        scanDb++;
        cursor = 0;
        scanStarted = false;
    }

    private void write(int db, byte[] key, Object value) throws IOException {
        if (selectedDb != db) {
            writer.selectDb(db);
            selectedDb = db;
        }
        writer.expireNext(dataset.expiryOf(db, key));
        LiveValues.write(writer, key, value);
    }

    /** Called before a command changes {@code key} of {@code db}: writes its value of T0 if it is not written yet. */
    void preserve(int db, byte[] key) {
        if (scanDone || broken != null) {
            return;
        }
        if (!written.add(new Key(db, ByteBuffer.wrap(key.clone())))) {
            return;
        }
        Object value = dataset.dict(db).get(key); // not lookup: that could expire (delete) it
        if (value != null) {
            try {
                write(db, key, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A change signal for {@code key}: it must have been preserved before the change. */
    void changed(int db, byte[] key) {
        if (!scanDone && broken == null && !written.contains(new Key(db, ByteBuffer.wrap(key)))) {
            broken = "key '" + new String(key, java.nio.charset.StandardCharsets.UTF_8) + "' of database " + db
                    + " changed before it was saved";
        }
    }

    /** Writes every key not written yet. */
    void finishNow() throws IOException {
        while (!scanDone) {
            step(Integer.MAX_VALUE);
        }
    }

    /** Writes EOF and the checksum. */
    void end() throws IOException {
        writer.finish();
    }
}
