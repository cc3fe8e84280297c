package io.jpmem.collections;

import static io.jpmem.collections.SortedNodes.INNER_COUNT;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import io.jpmem.objects.Wrap;
import io.jpmem.objects.spi.PersistentHandle;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * A persistent sorted map: a B+tree with subtree counts in the persistent heap, ordered by key, with
 * rank queries ({@link #rankOf}, {@link #entryAtRank}, {@link #iteratorFromRank}) in O(log n). Made
 * for Redis sorted sets: encode (score, member) as one {@code byte[]} key with
 * {@link SortedKeys#scoreMember} and keep member to score in a hash map.
 *
 * <h2>Keys and values</h2>
 * Keys are {@code Long}, {@code Integer}, {@code Double} (kept inline in the tree, compared as
 * words), {@code String} or {@code byte[]} (copied into blocks the map owns, compared as unsigned
 * bytes without building Java objects; a String orders exactly as {@link String#compareTo}), or
 * persistent objects that are {@link Comparable} (held by reference, never freed by the map). All
 * keys of one map are of one of these kinds, fixed by the first key put (and forgotten when the
 * map becomes empty); a key of another kind throws {@link ClassCastException}, a null key
 * {@link NullPointerException}. {@code byte[]} keys order as {@link java.util.Arrays#compareUnsigned};
 * reads return new arrays. Values are persistent objects (by reference) or Strings, byte arrays and
 * boxed primitives (copied in, owned by their entry, freed when overwritten or removed), or null.
 *
 * <h2>Ordering</h2>
 * Natural ordering, or a {@link Comparator} given at construction whose class is named, public,
 * and has a public no-argument constructor (or is an enum): its class name is stored in the map and
 * it is created again from that name after a reopen. A lambda or an anonymous class is refused,
 * because nothing could make it again. A comparator makes every comparison build the stored key.
 *
 * <h2>Atomicity and durability</h2>
 * Every mutating method runs in the thread's transaction on the map's heap, or in a transaction of
 * its own: after a crash the map is as before or as after it (as after the enclosing transaction
 * only, when there is one). Without an enclosing transaction a mutation is durable when it returns;
 * inside one, when that commits. Mutations free what they drop (tree nodes, key copies, value
 * copies) at commit. Reopening costs nothing: the handle reads the header when used.
 *
 * <h2>Threads</h2>
 * Like {@link java.util.TreeMap}: reads may run concurrently; a mutation needs exclusive access
 * (hold a lock with {@code tx.lock} inside a transaction). Iterators fail fast with
 * {@link java.util.ConcurrentModificationException} after a mutation through another path.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PSortedMap<K, V> implements PersistentObject, NavigableMap<K, V> {

    private final PersistentHandle handle = new PersistentHandle();

    static final int ROOT = 0;
    static final int SIZE = 8;
    /** Key kind + 1 in bits 0-7 (0: no kind, the map is empty), tree height in bits 8-15. */
    static final int META = 16;
    static final int COMPARATOR = 24;

    private SortedNodes nodes;
    private SortedTree tree;
    private SortedCursor writeCursor;
    private Comparator<Object> comparator;
    private boolean comparatorResolved;
    int modCount;

    /** The header layout, as the runtime reads it. */
    public static TypeLayout $jpmem$layout() {
        return TypeLayout.ofRecord(PSortedMap.class.getName(), 32,
                FieldLayout.of("root", FieldKind.REF, 0),
                FieldLayout.of("size", FieldKind.LONG, 8),
                FieldLayout.of("meta", FieldKind.LONG, 16),
                FieldLayout.of("comparator", FieldKind.REF, 24));
    }

    /**
     * Creates an empty map ordered by natural ordering, allocated where {@code new} of a
     * {@code @Persistent} class would be: in the heap of the thread's transaction, or else in
     * {@link ObjectSpace#setDefault the default heap} in a transaction of its own.
     *
     * @throws IllegalStateException if no heap can be chosen
     */
    public PSortedMap() {
        handle.allocate(this);
    }

    /**
     * Creates an empty map ordered by {@code comparator} (natural ordering if null), allocated as
     * {@link #PSortedMap()}.
     *
     * @throws IllegalArgumentException if the comparator's class cannot be made again from its name
     *     after a reopen (a lambda, an anonymous, local or non-public class, or one without a public
     *     no-argument constructor)
     */
    @SuppressWarnings("unchecked")
    public PSortedMap(Comparator<? super K> comparator) {
        String name = comparator == null ? null : SortedComparators.nameOf(comparator); // null: natural ordering
        handle.allocate(this);
        if (name != null) {
            HeapSpi.inTransaction(heap(), tx -> tx.putRef(header() + COMPARATOR, space().store(tx, name, "PSortedMap comparator")));
        }
        this.comparator = (Comparator<Object>) comparator;
        this.comparatorResolved = true;
    }

    /** The wrapping constructor the runtime uses for an existing map. */
    public PSortedMap(Wrap wrap, ObjectSpace space, long ref) {
        $jpmemBind(wrap, space, ref);
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
    }

    private PersistentHeap heap() {
        return handle.heap();
    }

    private long header() {
        return handle.ref();
    }

    private ObjectSpace space() {
        return handle.space();
    }

    // ------------------------------------------------------------------ internals

    static int heightOf(long meta) {
        return (int) (meta >>> 8 & 0xFF);
    }

    private SortedNodes nodes() {
        SortedNodes n = nodes;
        if (n == null) {
            n = nodes = SortedNodes.of(heap());
        }
        return n;
    }

    private SortedTree tree() {
        SortedTree t = tree;
        if (t == null) {
            t = tree = new SortedTree(heap(), header(), nodes());
        }
        return t;
    }

    private Comparator<Object> comparatorOrNull() {
        if (!comparatorResolved) {
            long name = heap().getRef(header() + COMPARATOR);
            comparator = name == 0 ? null : SortedComparators.create((String) space().load(name));
            comparatorResolved = true;
        }
        return comparator;
    }

    /** {@return the key kind, or null while the map is empty} */
    private SortedKeyKind kindOrNull() {
        return SortedKeyKind.ofCode((int) (heap().getLong(header() + META) & 0xFF));
    }

    /** {@return the key kind, fixing it from {@code key} (logged in {@code tx}) if the map has none} */
    private SortedKeyKind kindFor(Transaction tx, Object key) {
        SortedKeyKind kind = kindOrNull();
        if (kind == null) {
            kind = SortedKeyKind.of(key);
            long meta = heap().getLong(header() + META);
            tx.putLong(header() + META, (meta & ~0xFFL) | kind.code());
        }
        return kind;
    }

    private SortedProbe probe(SortedKeyKind kind, Object key) {
        return new SortedProbe(heap(), space(), kind, comparatorOrNull(), key);
    }

    /** A probe for {@code key}, or null if the map is empty (then nothing can match it). */
    private SortedProbe probeOrNull(Object key) {
        Objects.requireNonNull(key, "PSortedMap keys are never null");
        SortedKeyKind kind = kindOrNull();
        return kind == null ? null : probe(kind, key);
    }

    SortedCursor newCursor() {
        return new SortedCursor(heap(), header());
    }

    private SortedCursor writeCursor() {
        SortedCursor c = writeCursor;
        if (c == null) {
            c = writeCursor = newCursor();
        }
        return c;
    }

    K keyAt(SortedCursor c) {
        return keyAt(c, kindOrNull());
    }

    @SuppressWarnings("unchecked")
    K keyAt(SortedCursor c, SortedKeyKind kind) {
        return (K) kind.decode(heap(), space(), c.keyWord());
    }

    /** {@return the key kind; only for a map known not to be empty} */
    SortedKeyKind kind() {
        return kindOrNull();
    }

    @SuppressWarnings("unchecked")
    V valueAt(SortedCursor c) {
        return (V) space().load(c.valueWord());
    }

    Map.Entry<K, V> entryAt(SortedCursor c) {
        return c.valid() ? new AbstractMap.SimpleImmutableEntry<>(keyAt(c), valueAt(c)) : null;
    }

    /** {@return the address of the leaf entry holding {@code probe}, or -1}: one descent, no cursor. */
    private long find(SortedProbe probe, SortedNodes.Shape shape) {
        long at = heap().getRef(header() + ROOT);
        if (at == 0) {
            return -1;
        }
        int height = heightOf(heap().getLong(header() + META));
        long entries = heap().getLong(header() + SIZE);
        for (int level = height; level > 0; level--) {
            int lo = 1;
            int hi = (int) heap().getLong(at + INNER_COUNT) - 1;
            int child = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (probe.compareAt(shape.innerKey(at, mid)) >= 0) {
                    child = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            entries = heap().getLong(shape.innerCount(at, child));
            at = heap().getRef(shape.innerChild(at, child));
        }
        int lo = 0;
        int hi = (int) entries - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = probe.compareAt(shape.leafKey(at, mid));
            if (c == 0) {
                return shape.leafKey(at, mid);
            }
            if (c < 0) {
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return -1;
    }

    /** {@return the address of {@code key}'s leaf entry, or -1} */
    private long find(Object key) {
        Objects.requireNonNull(key, "PSortedMap keys are never null");
        SortedKeyKind kind = kindOrNull();
        return kind == null ? -1 : find(probe(kind, key), SortedNodes.Shape.of(kind));
    }

    /** Positions a new cursor relative to {@code key}: ceiling/higher ({@code up}) or floor/lower. */
    SortedCursor cursorAt(Object key, boolean up, boolean strict) {
        SortedCursor c = newCursor();
        SortedProbe probe = probeOrNull(key);
        if (probe == null) {
            return c; // empty: invalid
        }
        if (up) {
            c.seekCeiling(probe, strict);
        } else {
            c.seekFloor(probe, strict);
        }
        return c;
    }

    SortedProbe boundProbe(Object key) {
        return probeOrNull(key);
    }

    int compareKeys(Object a, Object b) {
        Comparator<Object> cmp = comparatorOrNull();
        if (cmp != null) {
            return cmp.compare(a, b);
        }
        SortedKeyKind kind = kindOrNull();
        if (kind == null) {
            kind = SortedKeyKind.of(a);
        }
        kind.check(b);
        return compareNatural(kind, kind.check(a), b);
    }

    @SuppressWarnings("unchecked")
    private static int compareNatural(SortedKeyKind kind, Object a, Object b) {
        return switch (kind) {
            case BYTES -> java.util.Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            case DOUBLE -> Double.compare((Double) a, (Double) b);
            default -> ((Comparable<Object>) a).compareTo(b);
        };
    }

    // ------------------------------------------------------------------ queries

    /** {@return the number of entries} O(1). */
    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, sizeLong());
    }

    /** {@return the number of entries, as a long} */
    public long sizeLong() {
        return heap().getLong(header() + SIZE);
    }

    @Override
    public boolean isEmpty() {
        return sizeLong() == 0;
    }

    /**
     * @throws ClassCastException if {@code key} is not of the map's key kind
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        long entry = find(key);
        return entry < 0 ? null : (V) space().load(heap().getRef(entry + SortedNodes.Shape.of(kindOrNull()).leafStride - 8));
    }

    /** {@inheritDoc} Same exceptions as {@link #get}. */
    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    /** {@inheritDoc} O(n): reads every value. */
    @Override
    public boolean containsValue(Object value) {
        for (V v : values()) {
            if (Objects.equals(v, value) || v instanceof byte[] a && value instanceof byte[] b && java.util.Arrays.equals(a, b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return the rank (0-based position in key order) of {@code key} if present, else
     * {@code -(insertion rank) - 1}} as {@link java.util.Arrays#binarySearch} does. O(log n).
     *
     * @throws ClassCastException if {@code key} is not of the map's key kind
     */
    public long rankOf(Object key) {
        SortedProbe probe = probeOrNull(key);
        if (probe == null) {
            return -1;
        }
        SortedCursor c = newCursor();
        c.seek(probe, true);
        return c.found ? c.rank : -c.rank - 1;
    }

    /**
     * {@return the entry of rank {@code rank} (0 is the first key)} An immutable snapshot. O(log n).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= rank < sizeLong()}
     */
    public Map.Entry<K, V> entryAtRank(long rank) {
        Objects.checkIndex(rank, sizeLong());
        SortedCursor c = newCursor();
        c.seekRank(rank);
        return entryAt(c);
    }

    /**
     * {@return an iterator over the entries from rank {@code rank} on, ascending, or descending
     * (toward rank 0) when {@code descending}} O(log n) to start, amortized O(1) a step. Its
     * {@code remove} removes the last entry returned.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= rank <= sizeLong()}
     */
    public Iterator<Map.Entry<K, V>> iteratorFromRank(long rank, boolean descending) {
        Objects.checkIndex(rank, sizeLong() + 1);
        SortedCursor c = newCursor();
        c.seekRank(rank);
        return new SortedIterator<>(this, c, descending, null, false, SortedIterator.ENTRIES);
    }

    /**
     * {@return the entries of ranks {@code from} (inclusive) to {@code to} (exclusive), in order}
     * Immutable snapshots; O(log n + (to - from)).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= sizeLong()}
     */
    public List<Map.Entry<K, V>> entriesByRank(long from, long to) {
        Objects.checkFromToIndex(from, to, sizeLong());
        List<Map.Entry<K, V>> out = new ArrayList<>((int) Math.min(to - from, 1 << 20));
        SortedCursor c = newCursor();
        c.seekRank(from);
        for (long r = from; r < to; r++, c.next()) {
            out.add(entryAt(c));
        }
        return out;
    }

    /** {@return null: natural ordering} or the comparator given at construction (made again after a reopen). */
    @Override
    @SuppressWarnings("unchecked")
    public Comparator<? super K> comparator() {
        return (Comparator<? super K>) comparatorOrNull();
    }

    private SortedCursor edge(boolean first) {
        SortedCursor c = newCursor();
        if (first) {
            c.seekFirst();
        } else {
            c.seekLast();
        }
        return c;
    }

    @Override
    public Map.Entry<K, V> firstEntry() {
        return entryAt(edge(true));
    }

    @Override
    public Map.Entry<K, V> lastEntry() {
        return entryAt(edge(false));
    }

    /** @throws NoSuchElementException if empty */
    @Override
    public K firstKey() {
        SortedCursor c = edge(true);
        if (!c.valid()) {
            throw new NoSuchElementException("the map is empty");
        }
        return keyAt(c);
    }

    /** @throws NoSuchElementException if empty */
    @Override
    public K lastKey() {
        SortedCursor c = edge(false);
        if (!c.valid()) {
            throw new NoSuchElementException("the map is empty");
        }
        return keyAt(c);
    }

    @Override
    public Map.Entry<K, V> lowerEntry(K key) {
        return entryAt(cursorAt(key, false, true));
    }

    @Override
    public K lowerKey(K key) {
        return keyOrNull(cursorAt(key, false, true));
    }

    @Override
    public Map.Entry<K, V> floorEntry(K key) {
        return entryAt(cursorAt(key, false, false));
    }

    @Override
    public K floorKey(K key) {
        return keyOrNull(cursorAt(key, false, false));
    }

    @Override
    public Map.Entry<K, V> ceilingEntry(K key) {
        return entryAt(cursorAt(key, true, false));
    }

    @Override
    public K ceilingKey(K key) {
        return keyOrNull(cursorAt(key, true, false));
    }

    @Override
    public Map.Entry<K, V> higherEntry(K key) {
        return entryAt(cursorAt(key, true, true));
    }

    @Override
    public K higherKey(K key) {
        return keyOrNull(cursorAt(key, true, true));
    }

    private K keyOrNull(SortedCursor c) {
        return c.valid() ? keyAt(c) : null;
    }

    // ------------------------------------------------------------------ mutations

    /**
     * Maps {@code key} to {@code value}, atomically (see the class comment); a value copy the key
     * held before is freed at commit.
     *
     * @return the previous value, or null
     * @throws ClassCastException if {@code key} is not of the map's key kind
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code value} is neither a persistent object of this heap
     *     nor a String, byte[] or boxed primitive
     * @throws io.jpmem.heap.HeapFullException if the heap is full (nothing changes)
     */
    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        Objects.requireNonNull(key, "PSortedMap keys are never null");
        Object[] previous = new Object[1];
        HeapSpi.inTransaction(heap(), tx -> {
            long old = putWord(tx, key, value, previous);
            if (old >= 0) {
                space().release(tx, old);
            }
        });
        return (V) previous[0];
    }

    /**
     * Maps {@code key} to {@code value} like {@link #put}, without reading the previous value.
     *
     * @return whether the key is new
     * @throws ClassCastException as {@link #put}
     * @throws NullPointerException as {@link #put}
     * @throws IllegalArgumentException as {@link #put}
     */
    public boolean set(K key, V value) {
        Objects.requireNonNull(key, "PSortedMap keys are never null");
        boolean[] added = new boolean[1];
        HeapSpi.inTransaction(heap(), tx -> {
            long old = putWord(tx, key, value, null);
            added[0] = old == NONE;
            if (old >= 0) {
                space().release(tx, old);
            }
        });
        return added[0];
    }

    private static final long NONE = -1;
    private static final long IN_PLACE = -2;

    /**
     * {@return the previous value word (the caller releases it), NONE for a new key, or IN_PLACE when
     * a boxed value of the same class was overwritten in its copy}
     */
    private long putWord(Transaction tx, Object key, Object value, Object[] previous) {
        SortedKeyKind kind = kindFor(tx, key);
        SortedProbe probe = probe(kind, key);
        SortedCursor c = writeCursor();
        c.seek(probe, false);
        if (c.found) {
            long at = c.shape.leafValue(c.node[0], c.index[0]);
            long old = heap().getRef(at);
            if (previous != null) {
                previous[0] = space().load(old);
            }
            if (space().overwriteValueCopy(tx, old, value)) {
                return IN_PLACE; // the entry's own boxed copy now holds the new value
            }
            tx.putRef(at, space().store(tx, value, "PSortedMap value"));
            return old;
        }
        long valueWord = space().store(tx, value, "PSortedMap value");
        modCount++; // structural: iterators fail fast (a value overwrite is not)
        tree().insert(tx, c, kind, kind.store(tx, nodes(), space(), probe.key), probe.prefix(), valueWord);
        return NONE;
    }

    /**
     * Removes {@code key}'s entry, atomically; its key copy and value copy are freed at commit.
     *
     * @return the value it had, or null
     * @throws ClassCastException if {@code key} is not of the map's key kind
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        Object[] previous = new Object[1];
        removeKey(key, previous);
        return (V) previous[0];
    }

    /**
     * Removes {@code key}'s entry like {@link #remove(Object)}, without reading its value.
     *
     * @return whether there was one
     */
    public boolean delete(Object key) {
        return removeKey(key, null);
    }

    private boolean removeKey(Object key, Object[] previous) {
        SortedProbe probe = probeOrNull(key);
        if (probe == null) {
            return false;
        }
        boolean[] removed = new boolean[1];
        HeapSpi.inTransaction(heap(), tx -> {
            SortedCursor c = writeCursor();
            c.seek(probe, false);
            if (c.found) {
                removeAt(tx, c, previous);
                removed[0] = true;
            }
        });
        return removed[0];
    }

    /** Removes the entry under {@code c} in {@code tx}; stores its value in {@code previous[0]} if asked. */
    void removeAt(Transaction tx, SortedCursor c, Object[] previous) {
        long value = c.valueWord();
        if (previous != null) {
            previous[0] = space().load(value);
        }
        space().release(tx, value);
        modCount++;
        tree().remove(tx, c, kindOrNull());
    }

    /**
     * Removes the entry of rank {@code rank}, atomically (ZREMRANGEBYRANK one at a time).
     *
     * @return the removed entry, an immutable snapshot
     * @throws IndexOutOfBoundsException unless {@code 0 <= rank < sizeLong()}
     */
    public Map.Entry<K, V> removeAtRank(long rank) {
        Objects.checkIndex(rank, sizeLong());
        return HeapSpi.inTransactionGet(heap(), tx -> {
            SortedCursor c = writeCursor();
            c.seekRank(rank);
            Map.Entry<K, V> entry = entryAt(c);
            removeAt(tx, c, null);
            return entry;
        });
    }

    /** Removes and returns the first entry (an immutable snapshot), atomically; null if empty. */
    @Override
    public Map.Entry<K, V> pollFirstEntry() {
        return isEmpty() ? null : removeAtRank(0);
    }

    /** Removes and returns the last entry (an immutable snapshot), atomically; null if empty. */
    @Override
    public Map.Entry<K, V> pollLastEntry() {
        return HeapSpi.inTransactionGet(heap(), tx -> {
            long size = sizeLong();
            return size == 0 ? null : removeAtRank(size - 1);
        });
    }

    /** Puts every mapping of {@code map}, all in one transaction (the caller's or its own). */
    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        HeapSpi.inTransaction(heap(), tx -> map.forEach(this::set));
    }

    /** Removes every entry, atomically, freeing every node, key copy and value copy at commit. */
    @Override
    public void clear() {
        HeapSpi.inTransaction(heap(), tx -> {
            SortedKeyKind kind = kindOrNull();
            if (kind != null) {
                modCount++;
                tree().clear(tx, kind, value -> space().release(tx, value));
            }
        });
    }

    // ------------------------------------------------------------------ views

    private SortedSubMap<K, V> whole() {
        return new SortedSubMap<>(this, true, null, true, true, null, true, false);
    }

    /** {@return a live view of the entries, in key order} Its iterator's {@code remove} works; entries' {@code setValue} writes through. */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return whole().entrySet();
    }

    @Override
    public Set<K> keySet() {
        return navigableKeySet();
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return whole().navigableKeySet();
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return whole().descendingKeySet();
    }

    @Override
    public Collection<V> values() {
        return whole().values();
    }

    @Override
    public NavigableMap<K, V> descendingMap() {
        return whole().descendingMap();
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        return whole().subMap(fromKey, fromInclusive, toKey, toInclusive);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        return whole().headMap(toKey, inclusive);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        return whole().tailMap(fromKey, inclusive);
    }

    @Override
    public SortedMap<K, V> subMap(K fromKey, K toKey) {
        return subMap(fromKey, true, toKey, false);
    }

    @Override
    public SortedMap<K, V> headMap(K toKey) {
        return headMap(toKey, false);
    }

    @Override
    public SortedMap<K, V> tailMap(K fromKey) {
        return tailMap(fromKey, true);
    }

    // ------------------------------------------------------------------ Object

    /** {@return whether {@code o} is a map with the same mappings} (the {@link Map} contract) */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Map<?, ?> && whole().equals(o);
    }

    @Override
    public int hashCode() {
        return whole().hashCode();
    }

    @Override
    public String toString() {
        return whole().toString();
    }

    /**
     * {@return the problems found in the tree's structure, empty if none} Checks that keys ascend
     * across the whole tree and lie within their separators, that every count equals the entries
     * below it, that unused slots are zero, that every node but the root is non-empty, that all
     * leaves are at one depth, and that the size matches. O(n); for tests and tools.
     */
    public List<String> checkStructure() {
        return new SortedChecker(heap(), header(), kindOrNull(), comparatorOrNull(), space()).check();
    }
}
