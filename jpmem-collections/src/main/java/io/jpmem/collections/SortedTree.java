package io.jpmem.collections;

import static io.jpmem.collections.SortedNodes.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The mutations of {@link PSortedMap}'s B+tree, on raw offsets, inside a transaction the caller
 * provides. Each leaves the tree whole (keys ordered, counts exact, unused slots zero) when the
 * transaction commits; a crash before rolls every store back (undo log) and drops every allocation
 * and free (published only at commit).
 *
 * <h2>What each logs</h2>
 * <ul>
 *   <li>insert without split: one snapshot of the leaf entries that shift (the new slot included),
 *       one 8-byte entry per inner level for the child's count, one for the size: {@code height + 2}
 *       undo entries, hence fences;
 *   <li>a split adds one allocation (the right node, new: not logged), one snapshot of the entries
 *       that leave the left node, and in the parent one snapshot of the shifted entries and its child
 *       count; a root split allocates the new root and logs the header's root and height;
 *   <li>remove: the same shape, with merges of a node that fell below a quarter into a sibling
 *       (snapshot of the receiving slots, free of the emptied node, removal from the parent).
 * </ul>
 */
final class SortedTree {

    private final PersistentHeap heap;
    private final long header;
    private final SortedNodes nodes;

    SortedTree(PersistentHeap heap, long header, SortedNodes nodes) {
        this.heap = heap;
        this.header = header;
        this.nodes = nodes;
    }

    private long get(long at) {
        return heap.getLong(at);
    }

    private long meta() {
        return get(header + PSortedMap.META);
    }

    private void setHeight(Transaction tx, int height) {
        long meta = meta();
        tx.putLong(header + PSortedMap.META, (meta & 0xFF) | (long) height << 8);
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** {@return {@code count} words read from {@code at}} */
    private long[] read(long at, int count) {
        if (count == 0) {
            return new long[0];
        }
        byte[] bytes = new byte[count * 8];
        heap.getBytes(at, bytes, 0, bytes.length);
        long[] words = new long[count];
        for (int i = 0; i < count; i++) {
            words[i] = (long) WORDS.get(bytes, i * 8);
        }
        return words;
    }

    /** Writes {@code words[from, from + count)} at {@code at} with one store (logged unless new or snapshotted). */
    private static void write(Transaction tx, long at, long[] words, int from, int count) {
        if (count == 0) {
            return;
        }
        byte[] bytes = new byte[count * 8];
        for (int i = 0; i < count; i++) {
            WORDS.set(bytes, i * 8, words[from + i]);
        }
        tx.putBytes(at, bytes, 0, bytes.length);
    }

    /**
     * Inserts a new entry at the position {@code c} found (its key absent). Entries move with one
     * bulk store per node.
     *
     * @param keyWord the key word, already stored (owned by the leaf from now on)
     * @param valueWord the value reference, already stored
     */
    void insert(Transaction tx, SortedCursor c, SortedKeyKind kind, long keyWord, long valueWord) {
        boolean inline = kind.inline();
        long size = get(header + PSortedMap.SIZE);
        if (c.node[0] == 0) {
            long leaf = tx.allocate(nodes.leaf(inline));
            write(tx, leaf, new long[] {keyWord, valueWord}, 0, 2);
            tx.putRef(header + PSortedMap.ROOT, leaf);
            setHeight(tx, 0);
            tx.putLong(header + PSortedMap.SIZE, 1);
            return;
        }
        long leaf = c.node[0];
        int n = c.count[0];
        int p = c.index[0];
        long carry = 0;
        long carryCount = 0;
        long carryKey = 0;
        long leftCount = 0;
        if (n < LEAF_CAPACITY) {
            long[] words = new long[2 * (n - p + 1)]; // the new entry, then the entries it pushes right
            words[0] = keyWord;
            words[1] = valueWord;
            System.arraycopy(read(leafKey(leaf, p), 2 * (n - p)), 0, words, 2, 2 * (n - p));
            tx.snapshot(leafKey(leaf, p), (long) LEAF_ENTRY_BYTES * (n - p + 1));
            write(tx, leafKey(leaf, p), words, 0, words.length);
        } else {
            long[] old = read(leaf, 2 * n);
            long[] all = new long[2 * (n + 1)];
            System.arraycopy(old, 0, all, 0, 2 * p);
            all[2 * p] = keyWord;
            all[2 * p + 1] = valueWord;
            System.arraycopy(old, 2 * p, all, 2 * p + 2, 2 * (n - p));
            int half = (n + 1) / 2;
            long right = tx.allocate(nodes.leaf(inline));
            write(tx, right, all, 2 * half, 2 * (n + 1 - half));
            int from = Math.min(p, half);
            long[] left = new long[2 * (n - from)]; // [from, half) keep their new entries, [half, n) become zero
            System.arraycopy(all, 2 * from, left, 0, 2 * (half - from));
            tx.snapshot(leafKey(leaf, from), (long) LEAF_ENTRY_BYTES * (n - from));
            write(tx, leafKey(leaf, from), left, 0, left.length);
            carry = right;
            carryCount = n + 1 - half;
            leftCount = half;
            carryKey = kind.copy(tx, nodes, heap, all[2 * half]);
        }
        for (int level = 1; level <= c.height; level++) {
            long node = c.node[level];
            int i = c.index[level];
            if (carry == 0) {
                tx.putLong(innerCount(node, i), get(innerCount(node, i)) + 1);
                continue;
            }
            int m = c.count[level];
            if (m < INNER_CAPACITY) {
                long[] words = new long[3 * (m - i + 1)]; // entry i (new count), the new entry, the rest
                long[] old = read(innerEntry(node, i), 3 * (m - i));
                System.arraycopy(old, 0, words, 0, 3);
                words[1] = leftCount;
                words[3] = carry;
                words[4] = carryCount;
                words[5] = carryKey;
                System.arraycopy(old, 3, words, 6, 3 * (m - i - 1));
                tx.snapshot(innerEntry(node, i), (long) INNER_ENTRY_BYTES * (m - i + 1));
                write(tx, innerEntry(node, i), words, 0, words.length);
                tx.putLong(node + INNER_COUNT, m + 1);
                carry = 0;
                continue;
            }
            long[] old = read(innerEntry(node, 0), 3 * m);
            long[] all = new long[3 * (m + 1)];
            System.arraycopy(old, 0, all, 0, 3 * (i + 1));
            all[3 * i + 1] = leftCount;
            all[3 * (i + 1)] = carry;
            all[3 * (i + 1) + 1] = carryCount;
            all[3 * (i + 1) + 2] = carryKey;
            System.arraycopy(old, 3 * (i + 1), all, 3 * (i + 2), 3 * (m - i - 1));
            int half = (m + 1) / 2;
            long right = tx.allocate(nodes.inner(inline));
            long[] rightWords = new long[1 + 3 * (m + 1 - half)]; // child count, then the entries
            rightWords[0] = m + 1 - half;
            System.arraycopy(all, 3 * half, rightWords, 1, 3 * (m + 1 - half));
            long newCarryKey = rightWords[3];
            rightWords[3] = 0; // entry half's key moves up: the new right node's lower bound
            write(tx, right, rightWords, 0, rightWords.length);
            long rightTotal = 0;
            for (int j = half; j <= m; j++) {
                rightTotal += all[3 * j + 1];
            }
            long leftTotal = 0;
            for (int j = 0; j < half; j++) {
                leftTotal += all[3 * j + 1];
            }
            int from = Math.min(i, half);
            long[] left = new long[3 * (m - from)];
            System.arraycopy(all, 3 * from, left, 0, 3 * (half - from));
            tx.snapshot(innerEntry(node, from), (long) INNER_ENTRY_BYTES * (m - from));
            write(tx, innerEntry(node, from), left, 0, left.length);
            tx.putLong(node + INNER_COUNT, half);
            carry = right;
            carryCount = rightTotal;
            carryKey = newCarryKey;
            leftCount = leftTotal;
        }
        if (carry != 0) {
            long root = tx.allocate(nodes.inner(inline));
            write(tx, root, new long[] {2, c.node[c.height], leftCount, 0, carry, carryCount, carryKey}, 0, 7);
            tx.putRef(header + PSortedMap.ROOT, root);
            setHeight(tx, c.height + 1);
        }
        tx.putLong(header + PSortedMap.SIZE, size + 1);
    }

    /**
     * Removes the entry {@code c} is on and frees its key bytes (the value is the caller's). Merges
     * underfull nodes, shrinks the root, and when the map becomes empty frees the last node and
     * forgets the key kind.
     */
    void remove(Transaction tx, SortedCursor c, SortedKeyKind kind) {
        long leaf = c.node[0];
        int n = c.count[0];
        int p = c.index[0];
        kind.release(tx, get(leafKey(leaf, p)));
        long[] words = new long[2 * (n - p)]; // the entries after p move left; the last slot becomes zero
        System.arraycopy(read(leafKey(leaf, p + 1), 2 * (n - p - 1)), 0, words, 0, 2 * (n - p - 1));
        tx.snapshot(leafKey(leaf, p), (long) LEAF_ENTRY_BYTES * (n - p));
        write(tx, leafKey(leaf, p), words, 0, words.length);
        for (int level = 1; level <= c.height; level++) {
            long at = innerCount(c.node[level], c.index[level]);
            tx.putLong(at, get(at) - 1);
        }
        long size = get(header + PSortedMap.SIZE) - 1;
        tx.putLong(header + PSortedMap.SIZE, size);
        rebalance(tx, c, kind);
        shrinkRoot(tx, size);
    }

    private void rebalance(Transaction tx, SortedCursor c, SortedKeyKind kind) {
        for (int level = 0; level < c.height; level++) {
            long parent = c.node[level + 1];
            int i = c.index[level + 1];
            int siblings = (int) get(parent + INNER_COUNT);
            int entries = entriesOf(parent, i, level);
            if (entries >= (level == 0 ? LEAF_MIN : INNER_MIN)) {
                return;
            }
            if (siblings > 1) {
                int a = i + 1 < siblings ? i : i - 1;
                if (entriesOf(parent, a, level) + entriesOf(parent, a + 1, level) <= (level == 0 ? LEAF_CAPACITY : INNER_CAPACITY)) {
                    merge(tx, parent, a, level, kind);
                    continue;
                }
            }
            if (entries != 0) {
                return;
            }
            tx.free(get(innerChild(parent, i)));
            if (i > 0) {
                kind.release(tx, get(innerKey(parent, i)));
            } else if (siblings > 1) {
                kind.release(tx, get(innerKey(parent, 1)));
            }
            removeInnerEntry(tx, parent, i, siblings);
        }
    }

    private int entriesOf(long parent, int i, int childLevel) {
        return childLevel == 0 ? (int) get(innerCount(parent, i)) : (int) get(get(innerChild(parent, i)) + INNER_COUNT);
    }

    /** Moves child {@code a + 1}'s entries into child {@code a} and frees it. */
    private void merge(Transaction tx, long parent, int a, int childLevel, SortedKeyKind kind) {
        long left = get(innerChild(parent, a));
        long right = get(innerChild(parent, a + 1));
        long separator = get(innerKey(parent, a + 1));
        if (childLevel == 0) {
            int ca = (int) get(innerCount(parent, a));
            int cb = (int) get(innerCount(parent, a + 1));
            if (cb > 0) {
                tx.snapshot(leafKey(left, ca), (long) LEAF_ENTRY_BYTES * cb);
                write(tx, leafKey(left, ca), read(right, 2 * cb), 0, 2 * cb);
            }
            kind.release(tx, separator);
        } else {
            int na = (int) get(left + INNER_COUNT);
            int nb = (int) get(right + INNER_COUNT);
            if (nb > 0) {
                long[] words = read(innerEntry(right, 0), 3 * nb);
                words[2] = separator; // the separator moves down: the lower bound of right's first child
                tx.snapshot(innerEntry(left, na), (long) INNER_ENTRY_BYTES * nb);
                write(tx, innerEntry(left, na), words, 0, words.length);
            }
            tx.putLong(left + INNER_COUNT, na + nb);
        }
        tx.free(right);
        tx.putLong(innerCount(parent, a), get(innerCount(parent, a)) + get(innerCount(parent, a + 1)));
        removeInnerEntry(tx, parent, a + 1, (int) get(parent + INNER_COUNT));
    }

    /** Removes entry {@code i} of an inner node with {@code n} entries; entry 0's key stays 0. */
    private void removeInnerEntry(Transaction tx, long node, int i, int n) {
        long[] words = new long[3 * (n - i)]; // the entries after i move left; the last slot becomes zero
        System.arraycopy(read(innerEntry(node, i + 1), 3 * (n - i - 1)), 0, words, 0, 3 * (n - i - 1));
        if (i == 0) {
            words[2] = 0;
        }
        tx.snapshot(innerEntry(node, i), (long) INNER_ENTRY_BYTES * (n - i));
        write(tx, innerEntry(node, i), words, 0, words.length);
        tx.putLong(node + INNER_COUNT, n - 1);
    }

    private void shrinkRoot(Transaction tx, long size) {
        while (true) {
            long root = get(header + PSortedMap.ROOT);
            int height = PSortedMap.heightOf(meta());
            if (root == 0) {
                return;
            }
            if (height == 0) {
                if (size == 0) {
                    tx.free(root);
                    tx.putRef(header + PSortedMap.ROOT, 0);
                    tx.putLong(header + PSortedMap.META, 0);
                }
                return;
            }
            long n = get(root + INNER_COUNT);
            if (n > 1) {
                return;
            }
            tx.free(root);
            tx.putRef(header + PSortedMap.ROOT, n == 0 ? 0 : get(innerChild(root, 0)));
            if (n == 0) {
                tx.putLong(header + PSortedMap.META, 0);
                return;
            }
            setHeight(tx, height - 1);
        }
    }

    /** Frees every node, key bytes block and (through {@code values}) value of the map; empties it. */
    void clear(Transaction tx, SortedKeyKind kind, java.util.function.LongConsumer values) {
        long root = get(header + PSortedMap.ROOT);
        if (root != 0) {
            freeSubtree(tx, root, PSortedMap.heightOf(meta()), get(header + PSortedMap.SIZE), kind, values);
        }
        tx.putRef(header + PSortedMap.ROOT, 0);
        tx.putLong(header + PSortedMap.SIZE, 0);
        tx.putLong(header + PSortedMap.META, 0);
    }

    private void freeSubtree(Transaction tx, long node, int level, long entries, SortedKeyKind kind,
                             java.util.function.LongConsumer values) {
        if (level == 0) {
            for (int i = 0; i < entries; i++) {
                kind.release(tx, get(leafKey(node, i)));
                values.accept(get(leafValue(node, i)));
            }
        } else {
            int n = (int) get(node + INNER_COUNT);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    kind.release(tx, get(innerKey(node, i)));
                }
                freeSubtree(tx, get(innerChild(node, i)), level - 1, get(innerCount(node, i)), kind, values);
            }
        }
        tx.free(node);
    }
}
