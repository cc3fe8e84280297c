package io.jpmem.collections;

import io.jpmem.heap.HeapFullException;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import io.jpmem.objects.Wrap;
import io.jpmem.objects.spi.PersistentHandle;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * A persistent hash map: a {@link Map} whose entries live in a persistent heap and are found again,
 * consistent, after a restart or a crash.
 *
 * <h2>Keys and values</h2>
 * Persistent objects ({@code @Persistent} classes, persistent arrays and collections) are held by
 * reference; {@code String}, {@code byte[]} and boxed primitives are copied in (an immutable block
 * per key or value, freed when the entry drops it; boxed keys are kept inline in the entry). Null
 * keys and values are allowed. Keys are equal as in Java, with two documented differences:
 * {@code byte[]} keys and values are compared by content (a copy has no identity), and a persistent
 * key whose class overrides {@code hashCode} must hash the same in every run. Anything else is
 * refused with {@link IllegalArgumentException} before anything is written. Reads return new
 * {@code String}/{@code byte[]}/box objects equal to the stored copies, or canonical handles.
 *
 * <h2>Atomicity and durability</h2>
 * Every mutating method ({@code put}, {@code remove}, {@code clear}, {@code putAll}, the views'
 * removals, {@code Map.Entry.setValue}, ...) is failure-atomic: it runs in the calling thread's
 * transaction on the map's heap, and then commits or rolls back with it, or else in a transaction
 * of its own that is durable when the method returns. Methods inherited from {@link Map} that
 * combine several calls ({@code compute}, {@code merge}, {@code replaceAll}) are atomic as a whole
 * only inside a transaction. Every method may throw {@link HeapFullException} (the mutation is then
 * rolled back, or its transaction must be) and {@link IllegalStateException} if the heap is closed.
 *
 * <h2>Growth</h2>
 * Redis-style incremental rehash: a resize allocates the new table's directory (its 512-bucket
 * segments come with their first entries) and then each insert or removal moves a few buckets, so
 * no operation pauses in proportion to the map's size. Reopening costs O(1): nothing is rebuilt.
 * See docs/collections/PHashMap.md.
 *
 * <h2>Threads</h2>
 * Not thread-safe, like {@code java.util.HashMap}; iterators are fail-fast within this process.
 *
 * <p><b>Why {@code AbstractMap} plus {@link PersistentObject}</b> rather than
 * {@code RawPersistentObject}: the JDK's abstract class supplies the whole {@code Map} contract
 * ({@code equals}, {@code hashCode}, {@code toString}, bulk operations of the views) while the
 * persistent side needs only the three {@code PersistentObject} methods and
 * {@code PersistentHandle}; the hot methods are overridden to walk raw offsets.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PHashMap<K, V> extends AbstractMap<K, V> implements PersistentObject {

    private final PersistentHandle handle = new PersistentHandle();
    /** The handle's state, copied by {@link #$jpmemBind} for the hot paths (plain fields, set once). */
    private ObjectSpace space;
    private long ref;
    private HashCore core;

    /**
     * Creates an empty map in the heap {@code new} of a persistent class would use: the one of the
     * calling thread's transaction, else {@link ObjectSpace#setDefault the default heap} (in a
     * transaction of its own; the map is unreachable until it is linked from a root or a field).
     * The table is allocated by the first insert.
     *
     * @throws IllegalStateException if no heap can be chosen
     */
    public PHashMap() {
        handle.allocate(this);
    }

    /** Wraps an existing map block; used by the runtime, not by applications. */
    public PHashMap(Wrap wrap, ObjectSpace space, long ref) {
        $jpmemBind(wrap, space, ref);
    }

    /** {@return the header layout recorded in the heap's type table} */
    public static TypeLayout $jpmem$layout() {
        return HashLayout.header(PHashMap.class);
    }

    @Override
    public long $jpmemRef() {
        return handle.ref();
    }

    @Override
    public ObjectSpace $jpmemSpace() {
        return handle.space();
    }

    @Override
    public void $jpmemBind(Wrap wrap, ObjectSpace space, long ref) {
        handle.bind(wrap, space, ref);
        this.space = handle.space();
        this.ref = handle.ref();
        this.core = new HashCore(space, ref, "PHashMap");
    }

    HashCore core() {
        return core;
    }

    // ------------------------------------------------------------------ queries

    /** {@return the number of entries, at most Integer.MAX_VALUE} */
    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, core.size());
    }

    /** {@return the number of entries} */
    public long longSize() {
        return core.size();
    }

    @Override
    public boolean isEmpty() {
        return core.size() == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return core.findSlot(KeyProbe.of(key, space)) != 0;
    }

    /** {@return the value mapped to {@code key} (a new Java value for a copy), or null} */
    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        long entry = core.findEntry(KeyProbe.of(key, space));
        return entry == 0 ? null : (V) core.loadValue(entry);
    }

    /** {@return whether some entry's value equals {@code value} (byte[] by content)} O(size). */
    @Override
    public boolean containsValue(Object value) {
        for (HashCursor cursor = new HashCursor(core); cursor.hasNext(); ) {
            if (Objects.deepEquals(value, core.loadValue(cursor.nextEntry()))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ mutations

    /**
     * Maps {@code key} to {@code value}, atomically; frees the copy of the value it replaces.
     *
     * @return the previous value (a new Java value for a copy), or null
     * @throws IllegalArgumentException if the key or the value can be stored neither by reference
     *     nor by copy (nothing is written)
     * @throws HeapFullException if the heap cannot hold the entry
     */
    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        Object previous = putInternal(key, value, true, false);
        return previous == HashCore.ABSENT ? null : (V) previous;
    }

    /**
     * Like {@link #put} but does not read the previous value (no Java value is made for it): the
     * cheaper form when the result is not needed, as in Redis's SET.
     *
     * @return whether the key was new
     * @throws IllegalArgumentException as {@link #put}
     */
    public boolean set(K key, V value) {
        return putInternal(key, value, false, false) == HashCore.ABSENT;
    }

    /** Atomically maps {@code key} to {@code value} if it has no mapping; see {@link #put}. */
    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        Object previous = putInternal(key, value, true, true);
        return previous == HashCore.ABSENT ? null : (V) previous;
    }

    private Object putInternal(Object key, Object value, boolean returnOld, boolean onlyIfAbsent) {
        KeyProbe probe = KeyProbe.of(key, space);
        probe.requireStorable(space, "PHashMap key");
        KeyProbe.requireStorableValue(value, space, "PHashMap value");
        return HeapSpi.inTransactionGet(core.heap(), tx -> core.put(tx, probe, value, returnOld, onlyIfAbsent));
    }

    /**
     * Removes the mapping of {@code key}, atomically, freeing the entry and its copies.
     *
     * @return the previous value (a new Java value for a copy), or null
     */
    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        Object previous = removeInternal(key, true);
        return previous == HashCore.ABSENT ? null : (V) previous;
    }

    /**
     * Like {@link #remove} but does not read the removed value: the cheaper form, as in Redis's DEL.
     *
     * @return whether a mapping was removed
     */
    public boolean delete(Object key) {
        return removeInternal(key, false) != HashCore.ABSENT;
    }

    private Object removeInternal(Object key, boolean returnOld) {
        KeyProbe probe = KeyProbe.of(key, space);
        if (core.findSlot(probe) == 0) {
            return HashCore.ABSENT; // nothing to write: no transaction
        }
        return HeapSpi.inTransactionGet(core.heap(), tx -> core.remove(tx, probe, returnOld));
    }

    /**
     * Copies every mapping of {@code map} into this one, all in one atomic step.
     *
     * @throws IllegalArgumentException if a key or value cannot be stored (nothing is written)
     */
    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            KeyProbe.of(e.getKey(), space).requireStorable(space, "PHashMap key");
            KeyProbe.requireStorableValue(e.getValue(), space, "PHashMap value");
        }
        HeapSpi.inTransactionGet(core.heap(), tx -> {
            for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
                core.put(tx, KeyProbe.of(e.getKey(), space), e.getValue(), false, false);
            }
            return null;
        });
    }

    /** Removes every mapping atomically and frees every entry, copy and table. O(size) in one transaction. */
    @Override
    public void clear() {
        if (core.size() == 0 && core.heap().getRef(ref + HashLayout.TABLE) == 0) {
            return;
        }
        HeapSpi.inTransactionGet(core.heap(), tx -> {
            core.clear(tx);
            return null;
        });
    }

    /**
     * Frees the map: its entries, their key and value copies, its table and its header, atomically
     * (in the thread's transaction on the heap, or in one of its own), and drops its canonical
     * handle. Persistent objects it refers to are left alone. The handle must not be used afterwards,
     * and nothing may still refer to the map.
     */
    public void free() {
        HeapSpi.inTransactionGet(core.heap(), tx -> {
            core.clear(tx);
            space.free(tx, this);
            return null;
        });
    }

    // ------------------------------------------------------------------ Object

    /** Map equality, with byte[] values compared by content. */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Map<?, ?> other) || other.size() != size()) {
            return false;
        }
        for (HashCursor cursor = new HashCursor(core); cursor.hasNext(); ) {
            long entry = cursor.nextEntry();
            Object key = core.loadKey(entry);
            Object value = core.loadValue(entry);
            Object theirs = other.get(key);
            if (!Objects.deepEquals(value, theirs) || (theirs == null && !other.containsKey(key))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 0;
        for (HashCursor cursor = new HashCursor(core); cursor.hasNext(); ) {
            long entry = cursor.nextEntry();
            hash += deepHash(core.loadKey(entry)) ^ deepHash(core.loadValue(entry));
        }
        return hash;
    }

    static int deepHash(Object o) {
        return o instanceof byte[] bytes ? Arrays.hashCode(bytes) : Objects.hashCode(o);
    }

    // ------------------------------------------------------------------ scan

    /**
     * One step of a cursor iteration, as Redis's SCAN/HSCAN: passes the mappings of the bucket(s)
     * {@code cursor} names to {@code action} and returns the cursor of the next step, 0 when the
     * iteration is complete. Start with 0.
     *
     * <p><b>Guarantee</b> (Redis's SCAN): a full iteration — from cursor 0 until a call returns 0 —
     * returns every mapping present from its start to its end at least once, even if the map
     * grows, shrinks or is mid-rehash between calls (an incremental rehash is scanned in both
     * tables); mappings added or removed during the iteration may or may not be returned, and any
     * may be returned more than once. No state is kept between calls: the cursor is all there is,
     * any number of iterations may run at once, and the map may change between calls (not during
     * one: the action runs after the step's mappings were read, so it may change the map too).
     * Each call visits one bucket of the table (while rehashing, one of the smaller table and the
     * buckets of the larger one it expands to), returning the whole bucket, so it may return
     * nothing and still not be the end. Reads only. The cursor is a reverse-binary bucket index:
     * any value may be passed (a stale or foreign one starts somewhere in the middle).
     *
     * @return the next cursor, 0 at the end
     */
    @SuppressWarnings("unchecked")
    public long scan(long cursor, java.util.function.BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        return HashScan.scan(core, cursor, true, (k, v) -> action.accept((K) k, (V) v));
    }

    /** {@link #scan} of the keys only (values are not read). @return the next cursor, 0 at the end */
    @SuppressWarnings("unchecked")
    public long scanKeys(long cursor, java.util.function.Consumer<? super K> action) {
        Objects.requireNonNull(action, "action");
        return HashScan.scan(core, cursor, false, (k, v) -> action.accept((K) k));
    }

    // ------------------------------------------------------------------ views

    private Set<Map.Entry<K, V>> entrySet;
    private Set<K> keySet;
    private Collection<V> values;

    /** {@return a view of the mappings; removal through it (and its iterator) is atomic per entry} */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> view = entrySet;
        return view != null ? view : (entrySet = new EntrySet());
    }

    /** {@return a view of the keys; removal through it (and its iterator) is atomic per key} */
    @Override
    public Set<K> keySet() {
        Set<K> view = keySet;
        return view != null ? view : (keySet = new KeySet());
    }

    /** {@return a view of the values; removal through its iterator is atomic per entry} */
    @Override
    public Collection<V> values() {
        Collection<V> view = values;
        return view != null ? view : (values = new Values());
    }

    private <T> Iterator<T> iterator(LongFunction<T> element) {
        HashCursor cursor = new HashCursor(core);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return cursor.hasNext();
            }

            @Override
            public T next() {
                return element.apply(cursor.nextEntry());
            }

            @Override
            public void remove() {
                cursor.remove();
            }
        };
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return PHashMap.this.iterator(Entry::new);
        }

        @Override
        public int size() {
            return PHashMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e)) {
                return false;
            }
            long entry = core.findEntry(KeyProbe.of(e.getKey(), space));
            return entry != 0 && Objects.deepEquals(core.loadValue(entry), e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            return contains(o) && delete(((Map.Entry<?, ?>) o).getKey());
        }

        @Override
        public void clear() {
            PHashMap.this.clear();
        }
    }

    private final class KeySet extends AbstractSet<K> {
        @Override
        @SuppressWarnings("unchecked")
        public Iterator<K> iterator() {
            return PHashMap.this.iterator(entry -> (K) core.loadKey(entry));
        }

        @Override
        public int size() {
            return PHashMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return delete(o);
        }

        @Override
        public void clear() {
            PHashMap.this.clear();
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        @SuppressWarnings("unchecked")
        public Iterator<V> iterator() {
            return PHashMap.this.iterator(entry -> (V) core.loadValue(entry));
        }

        @Override
        public int size() {
            return PHashMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return containsValue(o);
        }

        @Override
        public void clear() {
            PHashMap.this.clear();
        }
    }

    /**
     * A mapping seen through an iterator: the key as read when the iterator reached it, the value
     * read from the heap at each {@link #getValue}. Valid until the mapping is removed.
     */
    private final class Entry implements Map.Entry<K, V> {
        private final long entry;
        private final K key;

        @SuppressWarnings("unchecked")
        Entry(long entry) {
            this.entry = entry;
            this.key = (K) core.loadKey(entry);
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V getValue() {
            return (V) core.loadValue(entry);
        }

        /**
         * Replaces the value atomically, freeing the copy it replaces.
         *
         * @throws IllegalArgumentException if the value can be stored neither by reference nor by copy
         */
        @Override
        @SuppressWarnings("unchecked")
        public V setValue(V value) {
            KeyProbe.requireStorableValue(value, space, "PHashMap value");
            return (V) HeapSpi.inTransactionGet(core.heap(), tx -> core.replaceValue(tx, entry, value));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.deepEquals(key, e.getKey())
                    && Objects.deepEquals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return deepHash(key) ^ deepHash(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }
}
