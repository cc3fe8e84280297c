package io.jpmem.collections;

import static io.jpmem.collections.SortedNodes.INNER_COUNT;

import io.jpmem.heap.PersistentHeap;

/**
 * A position in a {@link PSortedMap}'s B+tree: the path from the root to one leaf entry (node and
 * index per level, level 0 the leaf) and that entry's rank. Seeks descend once; {@link #next} and
 * {@link #previous} move along the leaves through the path (the leaves have no sibling links, so a
 * split or merge never touches a neighbour), amortized O(1). Walks raw offsets only.
 *
 * <p>A cursor is valid until the map changes; the mutations of {@link SortedTree} use it as their
 * path.
 */
final class SortedCursor {

    static final int MAX_HEIGHT = 40;

    private final PersistentHeap heap;
    private final long header;
    final long[] node = new long[MAX_HEIGHT];
    final int[] index = new int[MAX_HEIGHT];
    /** Child count of an inner node; entry count of the leaf at level 0. */
    final int[] count = new int[MAX_HEIGHT];
    int height;
    /** The node layout of the map's key kind, read at each seek. */
    SortedNodes.Shape shape = SortedNodes.Shape.INLINE;
    long rank;
    /** Whether the last {@link #seek} found the key. */
    boolean found;

    SortedCursor(PersistentHeap heap, long header) {
        this.heap = heap;
        this.header = header;
    }

    private void readMeta() {
        long meta = heap.getLong(header + PSortedMap.META);
        height = PSortedMap.heightOf(meta);
        SortedKeyKind kind = SortedKeyKind.ofCode((int) (meta & 0xFF));
        shape = kind == null ? SortedNodes.Shape.INLINE : SortedNodes.Shape.of(kind);
    }

    long size() {
        return heap.getLong(header + PSortedMap.SIZE);
    }

    /** {@return whether the cursor is on an entry} */
    boolean valid() {
        return node[0] != 0 && index[0] >= 0 && index[0] < count[0];
    }

    long keyWord() {
        return heap.getLong(shape.leafKey(node[0], index[0]));
    }

    /** {@return the address of the key word under the cursor (its prefix, if any, follows)} */
    long keyAddress() {
        return shape.leafKey(node[0], index[0]);
    }

    long valueWord() {
        return heap.getLong(shape.leafValue(node[0], index[0]));
    }

    /**
     * Descends to {@code probe}: on the entry if {@link #found}, else at the insertion point in the
     * leaf (which may be one past its last entry). With {@code withRank}, {@link #rank} is the rank of
     * that position.
     */
    void seek(SortedProbe probe, boolean withRank) {
        long root = heap.getRef(header + PSortedMap.ROOT);
        readMeta();
        rank = 0;
        found = false;
        if (root == 0) {
            node[0] = 0;
            count[0] = 0;
            index[0] = 0;
            return;
        }
        long at = root;
        long entries = size();
        for (int level = height; level > 0; level--) {
            int n = (int) heap.getLong(at + INNER_COUNT);
            int lo = 1;
            int hi = n - 1;
            int child = 0; // the last child whose lower bound is <= probe
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (probe.compareAt(shape.innerKey(at, mid)) >= 0) {
                    child = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            node[level] = at;
            index[level] = child;
            count[level] = n;
            if (withRank) {
                for (int i = 0; i < child; i++) {
                    rank += heap.getLong(shape.innerCount(at, i));
                }
            }
            entries = heap.getLong(shape.innerCount(at, child));
            at = heap.getRef(shape.innerChild(at, child));
        }
        node[0] = at;
        count[0] = (int) entries;
        int lo = 0;
        int hi = count[0] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = probe.compareAt(shape.leafKey(at, mid));
            if (c == 0) {
                index[0] = mid;
                rank += mid;
                found = true;
                return;
            }
            if (c < 0) {
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        index[0] = lo;
        rank += lo;
    }

    /** Moves to the first entry whose key is >= (or > if {@code strict}) the probe; invalid if none. */
    void seekCeiling(SortedProbe probe, boolean strict) {
        seek(probe, true);
        if (found && strict) {
            next();
        } else if (node[0] != 0 && index[0] == count[0]) {
            index[0]--;
            rank--;
            next();
        }
    }

    /** Moves to the last entry whose key is <= (or < if {@code strict}) the probe; invalid if none. */
    void seekFloor(SortedProbe probe, boolean strict) {
        seek(probe, true);
        if (!found || strict) {
            if (node[0] == 0) {
                return;
            }
            previous();
        }
    }

    /** Moves to the entry of rank {@code r}, or invalid if {@code r} is out of range. */
    void seekRank(long r) {
        long root = heap.getRef(header + PSortedMap.ROOT);
        readMeta();
        long entries = size();
        found = false;
        if (root == 0 || r < 0 || r >= entries) {
            node[0] = 0;
            count[0] = 0;
            index[0] = 0;
            rank = r < 0 ? -1 : entries;
            return;
        }
        rank = r;
        long at = root;
        long remaining = r;
        for (int level = height; level > 0; level--) {
            int n = (int) heap.getLong(at + INNER_COUNT);
            int child = 0;
            long c = heap.getLong(shape.innerCount(at, 0));
            while (remaining >= c && child < n - 1) {
                remaining -= c;
                child++;
                c = heap.getLong(shape.innerCount(at, child));
            }
            node[level] = at;
            index[level] = child;
            count[level] = n;
            entries = c;
            at = heap.getRef(shape.innerChild(at, child));
        }
        node[0] = at;
        count[0] = (int) entries;
        index[0] = (int) remaining;
    }

    void seekFirst() {
        seekRank(0);
    }

    void seekLast() {
        seekRank(size() - 1);
    }

    /** Moves to the next entry; past the last one the cursor is invalid. */
    void next() {
        rank++;
        if (++index[0] < count[0]) {
            return;
        }
        for (int level = 1; level <= height; level++) {
            if (index[level] + 1 < count[level]) {
                index[level]++;
                descend(level, true);
                return;
            }
        }
        index[0] = count[0]; // past the end
    }

    /** Moves to the previous entry; before the first one the cursor is invalid. */
    void previous() {
        rank--;
        if (--index[0] >= 0) {
            return;
        }
        for (int level = 1; level <= height; level++) {
            if (index[level] > 0) {
                index[level]--;
                descend(level, false);
                return;
            }
        }
        index[0] = -1; // before the start
    }

    /** Descends from the entry chosen at {@code level} to its leftmost or rightmost leaf entry. */
    private void descend(int level, boolean leftmost) {
        for (int l = level; l > 0; l--) {
            long child = heap.getRef(shape.innerChild(node[l], index[l]));
            long entries = heap.getLong(shape.innerCount(node[l], index[l]));
            if (l - 1 == 0) {
                node[0] = child;
                count[0] = (int) entries;
                index[0] = leftmost ? 0 : count[0] - 1;
            } else {
                int n = (int) heap.getLong(child + INNER_COUNT);
                node[l - 1] = child;
                count[l - 1] = n;
                index[l - 1] = leftmost ? 0 : n - 1;
            }
        }
    }
}
