package io.jpmem.redis.data;

import io.jpmem.collections.PHashMap;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.redis.command.CommandError;
import java.util.Arrays;

/**
 * The server's view of its persistent data: the databases under the heap root {@code jpmem-redis},
 * created at the first start and found again (O(1)) at every other. Expired keys are removed when
 * they are met ({@link #lookup}) and by the active cycle ({@link #expireCycle}). Event-loop thread only.
 */
public final class Dataset {

    /** The heap root naming the {@link Keyspace}. */
    public static final String ROOT = "jpmem-redis";

    private final PersistentHeap heap;
    private final Db[] dbs;
    /** Per database, where the active expiry cycle goes on (a scan cursor of its expiry times; volatile, as in Redis). */
    private final long[] expireCursors;
    private ExpiryListener expiryListener = (db, key) -> { };
    private Expiry expiry = Expiry.DELETE;

    /**
     * What a key whose time has passed is when it is met: deleted (a master, Redis's own way), only
     * hidden (a replica serving its clients: the key goes when the master's DEL arrives), or still
     * live (a replica applying its master's stream, which says itself when a key goes).
     */
    public enum Expiry {
        /** Expired keys are deleted when met, and by the active cycle. */
        DELETE,
        /** Expired keys read as missing but stay; the active cycle deletes nothing. */
        HIDE,
        /** Expired keys read as live; the active cycle deletes nothing. */
        KEEP
    }

    /** Told of each key deleted because its time passed (lazily or by the active cycle), in its transaction. */
    @FunctionalInterface
    public interface ExpiryListener {
        /** {@code key} of database {@code db} expired and was deleted. */
        void expired(int db, byte[] key);
    }

    private Dataset(PersistentHeap heap, Db[] dbs) {
        this.heap = heap;
        this.dbs = dbs;
        this.expireCursors = new long[dbs.length];
    }

    /**
     * Opens the dataset of {@code heap}, creating it with {@code databases} databases if the heap has none.
     *
     * @throws IllegalStateException if the heap holds a dataset with another number of databases
     */
    public static Dataset open(PersistentHeap heap, int databases) {
        ObjectSpace space = ObjectSpace.of(heap);
        Keyspace keyspace = heap.transactionResult(tx -> {
            Keyspace existing = space.root(ROOT, Keyspace.class);
            if (existing == null) {
                existing = new Keyspace(databases);
                space.setRoot(ROOT, existing);
            }
            return existing;
        });
        if (keyspace.dbs.length() != databases) {
            throw new IllegalStateException("the heap " + heap.path() + " holds " + keyspace.dbs.length()
                    + " databases; start with --databases " + keyspace.dbs.length());
        }
        Db[] dbs = new Db[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = keyspace.dbs.get(i);
        }
        return new Dataset(heap, dbs);
    }

    /** Sets who is told of expired keys deleted (replication sends a DEL for each). */
    public void expiryListener(ExpiryListener listener) {
        this.expiryListener = listener;
    }

    /** Sets what a key whose time has passed is, from now on (see {@link Expiry}). */
    public void expiry(Expiry mode) {
        this.expiry = mode;
    }

    /** {@return what a key whose time has passed is now} */
    public Expiry expiry() {
        return expiry;
    }

    public PersistentHeap heap() {
        return heap;
    }

    public int databases() {
        return dbs.length;
    }

    /** {@return the key space of database {@code db}} Expired keys may still be in it. */
    public PHashMap<byte[], Object> dict(int db) {
        return dbs[db].dict;
    }

    /** {@return the expiry times of database {@code db}} */
    public PHashMap<byte[], Long> expires(int db) {
        return dbs[db].expires;
    }

    /** {@return the live value of {@code key}, or null} An expired key is deleted on the way. */
    public Object lookup(int db, byte[] key) {
        Object value = dbs[db].dict.get(key);
        if (value != null && !dbs[db].expires.isEmpty() && expireIfNeeded(db, key)) {
            return null;
        }
        return value;
    }

    /** {@return whether {@code key} exists and has not expired} Does not read the value. */
    public boolean exists(int db, byte[] key) {
        if (!dbs[db].dict.containsKey(key)) {
            return false;
        }
        return dbs[db].expires.isEmpty() || !expireIfNeeded(db, key);
    }

    /** {@return the value if it is a {@code type}, null if the key does not exist} @throws CommandError WRONGTYPE otherwise */
    public <T> T lookup(int db, byte[] key, Class<T> type) {
        Object value = lookup(db, key);
        if (value == null) {
            return null;
        }
        if (!type.isInstance(value)) {
            throw CommandError.wrongType();
        }
        return type.cast(value);
    }

    /** Sets a key's value, keeping or dropping its expiry as {@code keepTtl} says. */
    public void set(int db, byte[] key, Object value, boolean keepTtl) {
        dbs[db].dict.set(key, value);
        if (!keepTtl && !dbs[db].expires.isEmpty()) {
            dbs[db].expires.remove(key);
        }
    }

    /** Removes a key (and its expiry). @return whether it existed (expired keys do not count) */
    public boolean delete(int db, byte[] key) {
        if (!exists(db, key)) {
            return false;
        }
        remove(db, key);
        return true;
    }

    /** Removes a key, its expiry and its value's blocks, atomically (joining the round's transaction if there is one). */
    private void remove(int db, byte[] key) {
        heap.transaction(tx -> {
            Object value = dbs[db].dict.remove(key);
            dbs[db].expires.remove(key);
            Values.free(value);
        });
    }

    /** {@return whether the key was expired (and is now removed)} */
    private boolean expireIfNeeded(int db, byte[] key) {
        if (expiry == Expiry.KEEP) {
            return false;
        }
        Long when = dbs[db].expires.get(key);
        if (when == null || when > System.currentTimeMillis()) {
            return false;
        }
        if (expiry == Expiry.HIDE) {
            return true;
        }
        remove(db, key);
        expiryListener.expired(db, key);
        return true;
    }

    /** Sets the expiry of an existing key (Unix ms); a time in the past deletes it. */
    public void expireAt(int db, byte[] key, long unixMillis) {
        if (unixMillis <= System.currentTimeMillis()) {
            delete(db, key);
        } else {
            dbs[db].expires.put(key, unixMillis);
        }
    }

    /** {@return the expiry (Unix ms) of a live key, or -1 if it has none} */
    public long expiryOf(int db, byte[] key) {
        Long when = dbs[db].expires.get(key);
        return when == null ? -1 : when;
    }

    /** Removes every key of database {@code db}. */
    public void flush(int db) {
        heap.transaction(tx -> {
            for (Object value : dbs[db].dict.values()) {
                Values.free(value);
            }
            dbs[db].dict.clear();
            dbs[db].expires.clear();
        });
    }

    /**
     * The active expiry cycle: looks at up to about {@code budget} keys with an expiry in each
     * database, going on each time where the last cycle stopped (a scan cursor over the expiry
     * times, so every key is looked at in turn), and deletes those that expired. Run in the event
     * loop's transaction between rounds.
     *
     * @return how many keys it deleted
     */
    public int expireCycle(int budget) {
        int deleted = 0;
        if (expiry != Expiry.DELETE) {
            return 0;
        }
        long now = System.currentTimeMillis();
        for (int db = 0; db < dbs.length; db++) {
            PHashMap<byte[], Long> expires = dbs[db].expires;
            if (expires.isEmpty()) {
                continue;
            }
            java.util.List<byte[]> due = new java.util.ArrayList<>();
            int[] seen = {0};
            long cursor = expireCursors[db];
            int steps = 0;
            do {
                cursor = expires.scan(cursor, (key, when) -> {
                    seen[0]++;
                    if (when <= now) {
                        due.add(key);
                    }
                });
            } while (cursor != 0 && seen[0] < budget && ++steps < 10 * budget);
            expireCursors[db] = cursor;
            for (byte[] key : due) {
                remove(db, key);
                expiryListener.expired(db, key);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * RENAME, MOVE: the value of the live key {@code from} of database {@code fromDb} and its expiry
     * move to {@code to} of {@code toDb}, which must not exist; a collection moves by reference
     * (nothing is copied or freed).
     */
    public void relocate(int fromDb, byte[] from, int toDb, byte[] to) {
        heap.transaction(tx -> {
            Object value = dbs[fromDb].dict.get(from);
            Long expiry = dbs[fromDb].expires.get(from);
            if (value instanceof byte[] bytes) {
                dbs[toDb].dict.set(to, bytes);
                dbs[fromDb].dict.remove(from); // frees the key space's copy of the string
            } else {
                dbs[fromDb].dict.remove(from);
                dbs[toDb].dict.set(to, value);
            }
            dbs[fromDb].expires.remove(from);
            if (expiry != null) {
                dbs[toDb].expires.put(to, expiry);
            }
        });
    }

    /**
     * SWAPDB: databases {@code a} and {@code b} exchange their contents (key spaces and expiry
     * times), atomically. The {@link Db} objects stay where they are and swap their fields, so a
     * rolled-back transaction leaves nothing of the swap anywhere, this object included.
     */
    public void swap(int a, int b) {
        if (a == b) {
            return;
        }
        heap.transaction(tx -> {
            PHashMap<byte[], Object> dict = dbs[a].dict;
            PHashMap<byte[], Long> expires = dbs[a].expires;
            dbs[a].dict = dbs[b].dict;
            dbs[a].expires = dbs[b].expires;
            dbs[b].dict = dict;
            dbs[b].expires = expires;
        });
    }

    /** {@return a copy of {@code bytes}} */
    static byte[] copy(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length);
    }
}
