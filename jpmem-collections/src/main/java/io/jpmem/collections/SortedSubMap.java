package io.jpmem.collections;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;

/**
 * A live view of a {@link PSortedMap}: a key range (each end open or closed, or unbounded), in
 * ascending or descending order. Reads go to the map; {@code put} of a key outside the range throws
 * {@link IllegalArgumentException}; removals and {@code put} inside it change the map. The map's
 * own views ({@code entrySet}, {@code keySet}, ...) are unbounded ascending ones. Sizes of bounded
 * views come from two rank queries, O(log n).
 */
final class SortedSubMap<K, V> extends AbstractMap<K, V> implements NavigableMap<K, V> {

    private final PSortedMap<K, V> map;
    private final boolean fromStart;
    private final K lo;
    private final boolean loInclusive;
    private final boolean toEnd;
    private final K hi;
    private final boolean hiInclusive;
    private final boolean descending;

    SortedSubMap(PSortedMap<K, V> map, boolean fromStart, K lo, boolean loInclusive, boolean toEnd, K hi,
                 boolean hiInclusive, boolean descending) {
        if (!fromStart && !toEnd && map.compareKeys(lo, hi) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        this.map = map;
        this.fromStart = fromStart;
        this.lo = lo;
        this.loInclusive = loInclusive;
        this.toEnd = toEnd;
        this.hi = hi;
        this.hiInclusive = hiInclusive;
        this.descending = descending;
    }

    // ---- range tests, in the map's (ascending) order

    private boolean tooLow(Object key) {
        if (fromStart) {
            return false;
        }
        int c = map.compareKeys(key, lo);
        return c < 0 || c == 0 && !loInclusive;
    }

    private boolean tooHigh(Object key) {
        if (toEnd) {
            return false;
        }
        int c = map.compareKeys(key, hi);
        return c > 0 || c == 0 && !hiInclusive;
    }

    private boolean inRange(Object key) {
        return !tooLow(key) && !tooHigh(key);
    }

    /** Like {@link #inRange}, but a key equal to an open bound counts as inside (for narrower views). */
    private boolean inClosedRange(Object key) {
        return (fromStart || map.compareKeys(key, lo) >= 0) && (toEnd || map.compareKeys(key, hi) <= 0);
    }

    private boolean cursorTooHigh(SortedCursor c) {
        if (toEnd || !c.valid()) {
            return false;
        }
        int cmp = map.boundProbe(hi).compareAt(c.keyAddress()); // hi against the stored key
        return cmp < 0 || cmp == 0 && !hiInclusive;
    }

    private boolean cursorTooLow(SortedCursor c) {
        if (fromStart || !c.valid()) {
            return false;
        }
        int cmp = map.boundProbe(lo).compareAt(c.keyAddress());
        return cmp > 0 || cmp == 0 && !loInclusive;
    }

    /** {@return the cursor if it is on an entry of the range, else null} */
    private SortedCursor within(SortedCursor c) {
        return c.valid() && !cursorTooLow(c) && !cursorTooHigh(c) ? c : null;
    }

    private SortedCursor absLowest() {
        SortedCursor c;
        if (fromStart) {
            c = map.newCursor();
            c.seekFirst();
        } else {
            c = map.cursorAt(lo, true, !loInclusive);
        }
        return within(c);
    }

    private SortedCursor absHighest() {
        SortedCursor c;
        if (toEnd) {
            c = map.newCursor();
            c.seekLast();
        } else {
            c = map.cursorAt(hi, false, !hiInclusive);
        }
        return within(c);
    }

    private SortedCursor absCeiling(Object key, boolean strict) {
        return tooLow(key) ? absLowest() : within(map.cursorAt(key, true, strict));
    }

    private SortedCursor absFloor(Object key, boolean strict) {
        return tooHigh(key) ? absHighest() : within(map.cursorAt(key, false, strict));
    }

    private Map.Entry<K, V> entry(SortedCursor c) {
        return c == null ? null : map.entryAt(c);
    }

    private K key(SortedCursor c) {
        return c == null ? null : map.keyAt(c);
    }

    private SortedCursor first() {
        return descending ? absHighest() : absLowest();
    }

    private SortedCursor last() {
        return descending ? absLowest() : absHighest();
    }

    private SortedCursor ceiling(Object key) {
        return descending ? absFloor(key, false) : absCeiling(key, false);
    }

    private SortedCursor higher(Object key) {
        return descending ? absFloor(key, true) : absCeiling(key, true);
    }

    private SortedCursor floor(Object key) {
        return descending ? absCeiling(key, false) : absFloor(key, false);
    }

    private SortedCursor lower(Object key) {
        return descending ? absCeiling(key, true) : absFloor(key, true);
    }

    <T> Iterator<T> iterator(int mode) {
        SortedCursor start = first();
        if (start == null) {
            start = map.newCursor(); // invalid: nothing to iterate
        }
        SortedProbe end = descending ? (fromStart ? null : map.boundProbe(lo)) : (toEnd ? null : map.boundProbe(hi));
        return new SortedIterator<>(map, start, descending, end, descending ? loInclusive : hiInclusive, mode);
    }

    // ---- Map

    @Override
    public int size() {
        if (fromStart && toEnd) {
            return map.size();
        }
        SortedCursor low = absLowest();
        SortedCursor high = absHighest();
        if (low == null || high == null || low.rank > high.rank) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, high.rank - low.rank + 1);
    }

    @Override
    public boolean isEmpty() {
        return first() == null;
    }

    @Override
    public V get(Object key) {
        return inRange(key) ? map.get(key) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return inRange(key) && map.containsKey(key);
    }

    /** @throws IllegalArgumentException if {@code key} is outside the view's range */
    @Override
    public V put(K key, V value) {
        if (!inRange(key)) {
            throw new IllegalArgumentException("key out of range");
        }
        return map.put(key, value);
    }

    @Override
    public V remove(Object key) {
        return inRange(key) ? map.remove(key) : null;
    }

    @Override
    public void clear() {
        if (fromStart && toEnd) {
            map.clear();
        } else {
            super.clear();
        }
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                return SortedSubMap.this.iterator(SortedIterator.ENTRIES);
            }

            @Override
            public int size() {
                return SortedSubMap.this.size();
            }

            @Override
            public boolean isEmpty() {
                return SortedSubMap.this.isEmpty();
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof Map.Entry<?, ?> e && e.getKey() != null && containsKey(e.getKey())
                        && java.util.Objects.equals(get(e.getKey()), e.getValue());
            }

            @Override
            public boolean remove(Object o) {
                if (contains(o)) {
                    SortedSubMap.this.remove(((Map.Entry<?, ?>) o).getKey());
                    return true;
                }
                return false;
            }

            @Override
            public void clear() {
                SortedSubMap.this.clear();
            }
        };
    }

    @Override
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return SortedSubMap.this.iterator(SortedIterator.VALUES);
            }

            @Override
            public int size() {
                return SortedSubMap.this.size();
            }

            @Override
            public void clear() {
                SortedSubMap.this.clear();
            }
        };
    }

    @Override
    public Set<K> keySet() {
        return navigableKeySet();
    }

    // ---- SortedMap / NavigableMap

    @Override
    @SuppressWarnings("unchecked")
    public Comparator<? super K> comparator() {
        Comparator<? super K> ascending = map.comparator();
        if (!descending) {
            return ascending;
        }
        return (a, b) -> map.compareKeys(b, a);
    }

    @Override
    public K firstKey() {
        SortedCursor c = first();
        if (c == null) {
            throw new NoSuchElementException();
        }
        return map.keyAt(c);
    }

    @Override
    public K lastKey() {
        SortedCursor c = last();
        if (c == null) {
            throw new NoSuchElementException();
        }
        return map.keyAt(c);
    }

    @Override
    public Map.Entry<K, V> firstEntry() {
        return entry(first());
    }

    @Override
    public Map.Entry<K, V> lastEntry() {
        return entry(last());
    }

    @Override
    public Map.Entry<K, V> pollFirstEntry() {
        return poll(first());
    }

    @Override
    public Map.Entry<K, V> pollLastEntry() {
        return poll(last());
    }

    private Map.Entry<K, V> poll(SortedCursor c) {
        return c == null ? null : map.removeAtRank(c.rank);
    }

    @Override
    public Map.Entry<K, V> lowerEntry(K key) {
        return entry(lower(key));
    }

    @Override
    public K lowerKey(K key) {
        return key(lower(key));
    }

    @Override
    public Map.Entry<K, V> floorEntry(K key) {
        return entry(floor(key));
    }

    @Override
    public K floorKey(K key) {
        return key(floor(key));
    }

    @Override
    public Map.Entry<K, V> ceilingEntry(K key) {
        return entry(ceiling(key));
    }

    @Override
    public K ceilingKey(K key) {
        return key(ceiling(key));
    }

    @Override
    public Map.Entry<K, V> higherEntry(K key) {
        return entry(higher(key));
    }

    @Override
    public K higherKey(K key) {
        return key(higher(key));
    }

    @Override
    public NavigableMap<K, V> descendingMap() {
        return new SortedSubMap<>(map, fromStart, lo, loInclusive, toEnd, hi, hiInclusive, !descending);
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return new SortedKeySet<>(this);
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return descendingMap().navigableKeySet();
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        if (descending) {
            return narrow(toKey, toInclusive, fromKey, fromInclusive, false, false);
        }
        return narrow(fromKey, fromInclusive, toKey, toInclusive, false, false);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        return descending ? narrow(toKey, inclusive, null, false, false, true)
                : narrow(null, false, toKey, inclusive, true, false);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        return descending ? narrow(null, false, fromKey, inclusive, true, false)
                : narrow(fromKey, inclusive, null, false, false, true);
    }

    /**
     * A narrower view with absolute bounds; an unbounded side keeps this view's bound. As for
     * TreeMap's views, an inclusive new bound must lie inside this view, an exclusive one inside or on
     * its bounds.
     */
    private NavigableMap<K, V> narrow(K newLo, boolean newLoInclusive, K newHi, boolean newHiInclusive,
                                      boolean keepLo, boolean keepHi) {
        if (!keepLo) {
            java.util.Objects.requireNonNull(newLo);
            if (!(newLoInclusive ? inRange(newLo) : inClosedRange(newLo))) {
                throw new IllegalArgumentException("fromKey out of range");
            }
        }
        if (!keepHi) {
            java.util.Objects.requireNonNull(newHi);
            if (!(newHiInclusive ? inRange(newHi) : inClosedRange(newHi))) {
                throw new IllegalArgumentException("toKey out of range");
            }
        }
        return new SortedSubMap<>(map, keepLo ? fromStart : false, keepLo ? lo : newLo, keepLo ? loInclusive : newLoInclusive,
                keepHi ? toEnd : false, keepHi ? hi : newHi, keepHi ? hiInclusive : newHiInclusive, descending);
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
}
