package io.jpmem.redis.rdb;

import io.jpmem.redis.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * SAVE and BGSAVE of one server: the RDB file {@code dir/dbfilename}, the save in progress, and
 * what INFO persistence and LASTSAVE report. Event-loop thread only (the file itself is written by
 * a {@link ChunkPipe}'s thread).
 *
 * <p><b>SAVE</b> writes the whole dataset at once, blocking clients as Redis's SAVE does, to a
 * temporary file in {@code dir} that is forced to disk and renamed over the target.
 *
 * <p><b>BGSAVE</b>, without fork: a {@link SnapshotWriter} is made at T0 and the event loop advances
 * it by about a millisecond of keys per iteration ({@link #step}), serving clients in between;
 * before a command changes a key, {@link #beforeWrite} has the snapshot preserve that key's value of
 * T0 (see {@link SnapshotWriter} for the consistency argument). The command names in
 * {@link #CONFINED} change only the keys they name, in the client's database; any other write
 * command (FLUSHDB, FLUSHALL, SWAPDB, MOVE, COPY, and commands added later until they are listed
 * here) finishes the save first, at once.
 */
public final class RdbSaves {

    private static final System.Logger LOG = System.getLogger("io.jpmem.redis");

    /**
     * Write commands that change no key but those of their key positions (firstKey..lastKey by
     * step) in the client's database.
     */
    static final Set<String> CONFINED = Set.of(
            "set", "setnx", "setex", "psetex", "mset", "msetnx", "getset", "getdel", "getex", "append", "incr", "decr",
            "incrby", "decrby", "incrbyfloat", "setrange", "del", "unlink", "rename", "renamenx", "expire", "pexpire",
            "expireat", "pexpireat", "persist", "restore", "lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "lset",
            "ltrim", "lrem", "linsert", "rpoplpush", "lmove", "hset", "hmset", "hsetnx", "hdel", "hincrby",
            "hincrbyfloat", "sadd", "srem", "spop", "smove", "sinterstore", "sunionstore", "sdiffstore", "zadd",
            "zincrby", "zrem", "zremrangebyrank", "zremrangebyscore", "zremrangebylex", "zpopmin", "zpopmax",
            "zrangestore", "zunionstore", "zinterstore", "zdiffstore");

    /** Time a background save takes per event-loop iteration, in nanoseconds. */
    private static final long SLICE_NANOS = 1_000_000;
    private static final int KEYS_PER_CHECK = 128;

    private final Dataset dataset;
    private final Path dir;
    private final String dbFilename;
    private long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private boolean lastBackgroundOk = true;
    private long lastBackgroundSeconds = -1;
    private long saves;
    private long changes;
    private long changesAtStart;
    private Background background;

    /** A background save in progress. */
    private record Background(SnapshotWriter snapshot, ChunkPipe pipe, long startedNanos, boolean[] ended) {}

    public RdbSaves(Dataset dataset, Path dir, String dbFilename) {
        this.dataset = dataset;
        this.dir = dir;
        this.dbFilename = dbFilename;
    }

    /** {@return the file SAVE and BGSAVE write} */
    public Path file() {
        return dir.resolve(dbFilename);
    }

    private Path temp() {
        return dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
    }

    /** {@return whether a BGSAVE is in progress (or asked for)} */
    public boolean inProgress() {
        return background != null;
    }

    /** {@return LASTSAVE: the Unix time of the last successful save (the start, before any)} */
    public long lastSave() {
        return lastSaveSeconds;
    }

    /**
     * SAVE: writes the dataset now. @return null if the file was written, else why not
     *
     * @throws IllegalStateException if a BGSAVE is in progress
     */
    public String save() {
        if (inProgress()) {
            throw new IllegalStateException("a background save is in progress");
        }
        long startChanges = changes;
        ChunkPipe pipe = new ChunkPipe(temp(), file());
        try {
            SnapshotWriter snapshot = new SnapshotWriter(dataset, new RdbWriter(pipe), System.currentTimeMillis());
            snapshot.finishNow();
            snapshot.end();
            pipe.close();
        } catch (IOException | UncheckedIOException e) {
            pipe.abort();
        }
        pipe.await();
        if (pipe.failure() != null) {
            LOG.log(System.Logger.Level.WARNING, "SAVE of " + file() + " failed: " + pipe.failure());
            return pipe.failure();
        }
        saved(startChanges);
        return null;
    }

    private void saved(long startChanges) {
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        changes -= startChanges;
        saves++;
    }

    /**
     * BGSAVE: starts a background save of the dataset as it is now (the commands after it, in its
     * round too, are preserved before they change a key). @return false if one is in progress already
     */
    public boolean startBackground() {
        if (inProgress()) {
            return false;
        }
        begin();
        return true;
    }

    /**
     * Drops a background save whose BGSAVE was rolled back with its round, leaving no trace (status,
     * file): the round's replay runs the BGSAVE again.
     */
    public void abandon() {
        Background b = background;
        if (b != null) {
            b.pipe().abort();
            b.pipe().await();
            background = null;
        }
    }

    private void begin() {
        ChunkPipe pipe = new ChunkPipe(temp(), file());
        try {
            background = new Background(new SnapshotWriter(dataset, new RdbWriter(pipe), System.currentTimeMillis()), pipe,
                    System.nanoTime(), new boolean[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ChunkPipe does not fail its writer
        }
        changesAtStart = changes;
    }

    /** The event loop's turn: advances a background save by one slice, and ends it when it is written. */
    public void step() {
        Background b = background;
        if (b == null) {
            return;
        }
        try {
            if (b.snapshot().broken() != null) {
                fail(b, b.snapshot().broken());
                return;
            }
            if (!b.ended()[0]) {
                long deadline = System.nanoTime() + SLICE_NANOS;
                while (!b.snapshot().scanDone() && System.nanoTime() < deadline) {
                    b.snapshot().step(KEYS_PER_CHECK);
                }
                if (b.snapshot().scanDone()) {
                    b.snapshot().end();
                    b.pipe().close();
                    b.ended()[0] = true;
                }
                return;
            }
        } catch (IOException | UncheckedIOException e) {
            fail(b, e.getMessage());
            return;
        }
        if (b.pipe().finished()) {
            background = null;
            lastBackgroundSeconds = (System.nanoTime() - b.startedNanos()) / 1_000_000_000;
            lastBackgroundOk = b.pipe().failure() == null;
            if (lastBackgroundOk) {
                saved(changesAtStart);
            } else {
                LOG.log(System.Logger.Level.WARNING, "BGSAVE of " + file() + " failed: " + b.pipe().failure());
            }
        }
    }

    private void fail(Background b, String why) {
        LOG.log(System.Logger.Level.WARNING, "BGSAVE of " + file() + " failed: " + why);
        if (!b.ended()[0]) {
            b.pipe().abort();
        }
        b.pipe().await();
        background = null;
        lastBackgroundOk = false;
        lastBackgroundSeconds = (System.nanoTime() - b.startedNanos()) / 1_000_000_000;
    }

    /**
     * Called before a write command runs (also each command of an EXEC): preserves, in a background
     * save, the values of T0 of the keys it may change, or finishes the save first if the command's
     * changes are not confined to the keys it names.
     */
    public void beforeWrite(String name, int firstKey, int lastKey, int keyStep, int db, List<byte[]> args) {
        Background b = background;
        if (b == null || b.ended()[0] || b.snapshot().broken() != null) {
            return;
        }
        if (!CONFINED.contains(name) || firstKey <= 0) {
            try {
                b.snapshot().finishNow();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        int last = lastKey < 0 ? args.size() + lastKey : Math.min(lastKey, args.size() - 1);
        for (int i = firstKey; i <= last; i += Math.max(1, keyStep)) {
            b.snapshot().preserve(db, args.get(i));
        }
    }

    /** A write changed {@code key} of {@code db} (counted for rdb_changes_since_last_save; checked against the snapshot). */
    public void changed(int db, byte[] key) {
        changes++;
        Background b = background;
        if (b != null && !b.ended()[0]) {
            b.snapshot().changed(db, key);
        }
    }

    /** A command changed many keys of {@code db} at once (FLUSHDB, FLUSHALL, SWAPDB), after finishing any save. */
    public void changedMany() {
        changes++;
    }

    /** {@return the rdb_* lines of INFO persistence} */
    public String info() {
        Background b = background;
        return "rdb_changes_since_last_save:" + changes + "\r\n"
                + "rdb_bgsave_in_progress:" + (inProgress() ? 1 : 0) + "\r\n"
                + "rdb_last_save_time:" + lastSaveSeconds + "\r\n"
                + "rdb_last_bgsave_status:" + (lastBackgroundOk ? "ok" : "err") + "\r\n"
                + "rdb_last_bgsave_time_sec:" + lastBackgroundSeconds + "\r\n"
                + "rdb_current_bgsave_time_sec:" + (b == null ? -1 : (System.nanoTime() - b.startedNanos()) / 1_000_000_000) + "\r\n"
                + "rdb_saves:" + saves + "\r\n"
                + "jpmem_rdb_file:" + file().toAbsolutePath() + "\r\n";
    }

    /** Ends a background save without a file (the server stops). */
    public void close() {
        Background b = background;
        if (b != null) {
            if (!b.ended()[0]) {
                b.pipe().abort();
            }
            b.pipe().await();
            background = null;
        }
    }

    /**
     * Writes the whole dataset as it is now, as an RDB file, to {@code out} (a full resync of a
     * replica), blocking the caller as SAVE does.
     */
    public static void snapshotTo(Dataset dataset, java.io.OutputStream out) throws IOException {
        SnapshotWriter snapshot = new SnapshotWriter(dataset, new RdbWriter(out), System.currentTimeMillis());
        snapshot.finishNow();
        snapshot.end();
        out.flush();
    }
}
