package io.jpmem.collections;

import java.util.AbstractMap;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over a {@link PSortedMap} range: a cursor moving up or down until it passes an end
 * bound, compared on the stored key word (no key is built to test the bound). Fail-fast on changes
 * made other than through its own {@link #remove}.
 */
final class SortedIterator<K, V, T> implements Iterator<T> {

    static final int ENTRIES = 0;
    static final int KEYS = 1;
    static final int VALUES = 2;

    private final PSortedMap<K, V> map;
    private final SortedCursor cursor;
    private final boolean descending;
    private final SortedProbe end;
    private final boolean endInclusive;
    private final int mode;
    private final SortedKeyKind kind;
    private int expectedModCount;
    private long lastRank = -1;

    /**
     * @param end the bound iteration stops at (the high bound ascending, the low bound descending),
     *     or null for none
     */
    SortedIterator(PSortedMap<K, V> map, SortedCursor start, boolean descending, SortedProbe end, boolean endInclusive,
                   int mode) {
        this.map = map;
        this.cursor = start;
        this.descending = descending;
        this.end = end;
        this.endInclusive = endInclusive;
        this.mode = mode;
        this.kind = map.kind(); // fixed while the map is not empty; emptying it is a structural change
        this.expectedModCount = map.modCount;
    }

    @Override
    public boolean hasNext() {
        if (!cursor.valid()) {
            return false;
        }
        if (end == null) {
            return true;
        }
        int c = end.compareAt(cursor.keyAddress()); // the bound against the key under the cursor
        return descending ? c < 0 || c == 0 && endInclusive : c > 0 || c == 0 && endInclusive;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (map.modCount != expectedModCount) {
            throw new ConcurrentModificationException();
        }
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T element = switch (mode) {
            case KEYS -> (T) map.keyAt(cursor, kind);
            case VALUES -> (T) map.valueAt(cursor);
            default -> (T) new Entry<>(map, map.keyAt(cursor, kind), map.valueAt(cursor));
        };
        lastRank = cursor.rank;
        if (descending) {
            cursor.previous();
        } else {
            cursor.next();
        }
        return element;
    }

    /** Removes the last element returned, atomically (in the thread's transaction or one of its own). */
    @Override
    public void remove() {
        if (lastRank < 0) {
            throw new IllegalStateException("next() has not returned an element since the last remove()");
        }
        if (map.modCount != expectedModCount) {
            throw new ConcurrentModificationException();
        }
        map.removeAtRank(lastRank);
        cursor.seekRank(descending ? lastRank - 1 : lastRank); // the next element took the removed one's rank
        lastRank = -1;
        expectedModCount = map.modCount;
    }

    /** An entry of an entry-set iteration; {@link #setValue} writes through to the map. */
    static final class Entry<K, V> extends AbstractMap.SimpleEntry<K, V> {

        private final PSortedMap<K, V> map;

        Entry(PSortedMap<K, V> map, K key, V value) {
            super(key, value);
            this.map = map;
        }

        /** Puts the value into the map (atomically) and into this entry. */
        @Override
        public V setValue(V value) {
            map.put(getKey(), value);
            return super.setValue(value);
        }
    }
}
