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
 * and free (published only at commit). Entries move as arrays of words (an entry is
 * {@code shape.leafWords} or {@code shape.innerWords} words), written with one bulk store per node.
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

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
        tx.putLong(header + PSortedMap.META, (meta() & 0xFF) | (long) height << 8);
    }

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
     * Inserts a new entry at the position {@code c} found (its key absent).
     *
     * @param keyWord the key word, already stored (owned by the leaf from now on)
     * @param prefix the key's prefix word (stored beside it in the PREFIXED shape)
     * @param valueWord the value reference, already stored
     */
    void insert(Transaction tx, SortedCursor c, SortedKeyKind kind, long keyWord, long prefix, long valueWord) {
        Shape s = Shape.of(kind);
        int lw = s.leafWords;
        int iw = s.innerWords;
        long[] entry = s.inline ? new long[] {keyWord, valueWord} : new long[] {keyWord, prefix, valueWord};
        long size = get(header + PSortedMap.SIZE);
        if (c.node[0] == 0) {
            long leaf = tx.allocate(nodes.leaf(s.inline));
            write(tx, leaf, entry, 0, lw);
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
        long carryPrefix = 0;
        long leftCount = 0;
        if (n < LEAF_CAPACITY) {
            long[] words = new long[lw * (n - p + 1)]; // the new entry, then the entries it pushes right
            System.arraycopy(entry, 0, words, 0, lw);
            System.arraycopy(read(s.leafKey(leaf, p), lw * (n - p)), 0, words, lw, lw * (n - p));
            tx.snapshot(s.leafKey(leaf, p), (long) s.leafStride * (n - p + 1));
            write(tx, s.leafKey(leaf, p), words, 0, words.length);
        } else {
            long[] old = read(leaf, lw * n);
            long[] all = new long[lw * (n + 1)];
            System.arraycopy(old, 0, all, 0, lw * p);
            System.arraycopy(entry, 0, all, lw * p, lw);
            System.arraycopy(old, lw * p, all, lw * (p + 1), lw * (n - p));
            int half = (n + 1) / 2;
            long right = tx.allocate(nodes.leaf(s.inline));
            write(tx, right, all, lw * half, lw * (n + 1 - half));
            int from = Math.min(p, half);
            long[] left = new long[lw * (n - from)]; // [from, half) keep their new entries, [half, n) become zero
            System.arraycopy(all, lw * from, left, 0, lw * (half - from));
            tx.snapshot(s.leafKey(leaf, from), (long) s.leafStride * (n - from));
            write(tx, s.leafKey(leaf, from), left, 0, left.length);
            carry = right;
            carryCount = n + 1 - half;
            leftCount = half;
            carryKey = kind.copy(tx, nodes, heap, all[lw * half]); // the separator: its own copy of the key
            carryPrefix = s.inline ? 0 : all[lw * half + 1];
        }
        for (int level = 1; level <= c.height; level++) {
            long node = c.node[level];
            int i = c.index[level];
            if (carry == 0) {
                tx.putLong(s.innerCount(node, i), get(s.innerCount(node, i)) + 1);
                continue;
            }
            int m = c.count[level];
            long[] added = innerEntry(s, carry, carryCount, carryKey, carryPrefix);
            if (m < INNER_CAPACITY) {
                long[] old = read(s.innerEntry(node, i), iw * (m - i));
                long[] words = new long[iw * (m - i + 1)]; // entry i (new count), the new entry, the rest
                System.arraycopy(old, 0, words, 0, iw);
                words[1] = leftCount;
                System.arraycopy(added, 0, words, iw, iw);
                System.arraycopy(old, iw, words, 2 * iw, iw * (m - i - 1));
                tx.snapshot(s.innerEntry(node, i), (long) s.innerStride * (m - i + 1));
                write(tx, s.innerEntry(node, i), words, 0, words.length);
                tx.putLong(node + INNER_COUNT, m + 1);
                carry = 0;
                continue;
            }
            long[] old = read(s.innerEntry(node, 0), iw * m);
            long[] all = new long[iw * (m + 1)];
            System.arraycopy(old, 0, all, 0, iw * (i + 1));
            all[iw * i + 1] = leftCount;
            System.arraycopy(added, 0, all, iw * (i + 1), iw);
            System.arraycopy(old, iw * (i + 1), all, iw * (i + 2), iw * (m - i - 1));
            int half = (m + 1) / 2;
            long right = tx.allocate(nodes.inner(s.inline));
            long[] rightWords = new long[1 + iw * (m + 1 - half)]; // child count, then the entries
            rightWords[0] = m + 1 - half;
            System.arraycopy(all, iw * half, rightWords, 1, iw * (m + 1 - half));
            long upKey = rightWords[1 + 2];
            long upPrefix = s.inline ? 0 : rightWords[1 + 3];
            rightWords[1 + 2] = 0; // entry half's key moves up: the new right node's lower bound
            if (!s.inline) {
                rightWords[1 + 3] = 0;
            }
            write(tx, right, rightWords, 0, rightWords.length);
            long rightTotal = 0;
            for (int j = half; j <= m; j++) {
                rightTotal += all[iw * j + 1];
            }
            long leftTotal = 0;
            for (int j = 0; j < half; j++) {
                leftTotal += all[iw * j + 1];
            }
            int from = Math.min(i, half);
            long[] left = new long[iw * (m - from)];
            System.arraycopy(all, iw * from, left, 0, iw * (half - from));
            tx.snapshot(s.innerEntry(node, from), (long) s.innerStride * (m - from));
            write(tx, s.innerEntry(node, from), left, 0, left.length);
            tx.putLong(node + INNER_COUNT, half);
            carry = right;
            carryCount = rightTotal;
            carryKey = upKey;
            carryPrefix = upPrefix;
            leftCount = leftTotal;
        }
        if (carry != 0) {
            long root = tx.allocate(nodes.inner(s.inline));
            long[] words = new long[1 + 2 * iw];
            words[0] = 2;
            System.arraycopy(innerEntry(s, c.node[c.height], leftCount, 0, 0), 0, words, 1, iw);
            System.arraycopy(innerEntry(s, carry, carryCount, carryKey, carryPrefix), 0, words, 1 + iw, iw);
            write(tx, root, words, 0, words.length);
            tx.putRef(header + PSortedMap.ROOT, root);
            setHeight(tx, c.height + 1);
        }
        tx.putLong(header + PSortedMap.SIZE, size + 1);
    }

    private static long[] innerEntry(Shape s, long child, long count, long key, long prefix) {
        return s.inline ? new long[] {child, count, key} : new long[] {child, count, key, prefix};
    }

    /**
     * Removes the entry {@code c} is on and frees its key bytes (the value is the caller's). Merges
     * underfull nodes, shrinks the root, and when the map becomes empty frees the last node and
     * forgets the key kind.
     */
    void remove(Transaction tx, SortedCursor c, SortedKeyKind kind) {
        Shape s = Shape.of(kind);
        int lw = s.leafWords;
        long leaf = c.node[0];
        int n = c.count[0];
        int p = c.index[0];
        kind.release(tx, get(s.leafKey(leaf, p)));
        long[] words = new long[lw * (n - p)]; // the entries after p move left; the last slot becomes zero
        System.arraycopy(read(s.leafKey(leaf, p + 1), lw * (n - p - 1)), 0, words, 0, lw * (n - p - 1));
        tx.snapshot(s.leafKey(leaf, p), (long) s.leafStride * (n - p));
        write(tx, s.leafKey(leaf, p), words, 0, words.length);
        for (int level = 1; level <= c.height; level++) {
            long at = s.innerCount(c.node[level], c.index[level]);
            tx.putLong(at, get(at) - 1);
        }
        long size = get(header + PSortedMap.SIZE) - 1;
        tx.putLong(header + PSortedMap.SIZE, size);
        rebalance(tx, c, kind, s);
        shrinkRoot(tx, size, s);
    }

    private void rebalance(Transaction tx, SortedCursor c, SortedKeyKind kind, Shape s) {
        for (int level = 0; level < c.height; level++) {
            long parent = c.node[level + 1];
            int i = c.index[level + 1];
            int siblings = (int) get(parent + INNER_COUNT);
            int entries = entriesOf(s, parent, i, level);
            if (entries >= (level == 0 ? LEAF_MIN : INNER_MIN)) {
                return;
            }
            if (siblings > 1) {
                int a = i + 1 < siblings ? i : i - 1;
                if (entriesOf(s, parent, a, level) + entriesOf(s, parent, a + 1, level)
                        <= (level == 0 ? LEAF_CAPACITY : INNER_CAPACITY)) {
                    merge(tx, s, parent, a, level, kind);
                    continue;
                }
            }
            if (entries != 0) {
                return;
            }
            tx.free(get(s.innerChild(parent, i)));
            if (i > 0) {
                kind.release(tx, get(s.innerKey(parent, i)));
            } else if (siblings > 1) {
                kind.release(tx, get(s.innerKey(parent, 1))); // entry 1 becomes entry 0, whose key is 0
            }
            removeInnerEntry(tx, s, parent, i, siblings);
        }
    }

    private int entriesOf(Shape s, long parent, int i, int childLevel) {
        return childLevel == 0 ? (int) get(s.innerCount(parent, i)) : (int) get(get(s.innerChild(parent, i)) + INNER_COUNT);
    }

    /** Moves child {@code a + 1}'s entries into child {@code a} and frees it. */
    private void merge(Transaction tx, Shape s, long parent, int a, int childLevel, SortedKeyKind kind) {
        long left = get(s.innerChild(parent, a));
        long right = get(s.innerChild(parent, a + 1));
        long separator = get(s.innerKey(parent, a + 1));
        if (childLevel == 0) {
            int ca = (int) get(s.innerCount(parent, a));
            int cb = (int) get(s.innerCount(parent, a + 1));
            if (cb > 0) {
                tx.snapshot(s.leafKey(left, ca), (long) s.leafStride * cb);
                write(tx, s.leafKey(left, ca), read(right, s.leafWords * cb), 0, s.leafWords * cb);
            }
            kind.release(tx, separator);
        } else {
            int na = (int) get(left + INNER_COUNT);
            int nb = (int) get(right + INNER_COUNT);
            if (nb > 0) {
                long[] words = read(s.innerEntry(right, 0), s.innerWords * nb);
                words[2] = separator; // the separator moves down: the lower bound of right's first child
                if (!s.inline) {
                    words[3] = get(s.innerKey(parent, a + 1) + 8);
                }
                tx.snapshot(s.innerEntry(left, na), (long) s.innerStride * nb);
                write(tx, s.innerEntry(left, na), words, 0, words.length);
            }
            tx.putLong(left + INNER_COUNT, na + nb);
        }
        tx.free(right);
        tx.putLong(s.innerCount(parent, a), get(s.innerCount(parent, a)) + get(s.innerCount(parent, a + 1)));
        removeInnerEntry(tx, s, parent, a + 1, (int) get(parent + INNER_COUNT));
    }

    /** Removes entry {@code i} of an inner node with {@code n} entries; entry 0's key stays 0. */
    private void removeInnerEntry(Transaction tx, Shape s, long node, int i, int n) {
        int iw = s.innerWords;
        long[] words = new long[iw * (n - i)]; // the entries after i move left; the last slot becomes zero
        System.arraycopy(read(s.innerEntry(node, i + 1), iw * (n - i - 1)), 0, words, 0, iw * (n - i - 1));
        if (i == 0) {
            words[2] = 0;
            if (!s.inline) {
                words[3] = 0;
            }
        }
        tx.snapshot(s.innerEntry(node, i), (long) s.innerStride * (n - i));
        write(tx, s.innerEntry(node, i), words, 0, words.length);
        tx.putLong(node + INNER_COUNT, n - 1);
    }

    private void shrinkRoot(Transaction tx, long size, Shape s) {
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
            tx.putRef(header + PSortedMap.ROOT, n == 0 ? 0 : get(s.innerChild(root, 0)));
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
            freeSubtree(tx, Shape.of(kind), root, PSortedMap.heightOf(meta()), get(header + PSortedMap.SIZE), kind, values);
        }
        tx.putRef(header + PSortedMap.ROOT, 0);
        tx.putLong(header + PSortedMap.SIZE, 0);
        tx.putLong(header + PSortedMap.META, 0);
    }

    private void freeSubtree(Transaction tx, Shape s, long node, int level, long entries, SortedKeyKind kind,
                             java.util.function.LongConsumer values) {
        if (level == 0) {
            for (int i = 0; i < entries; i++) {
                kind.release(tx, get(s.leafKey(node, i)));
                values.accept(get(s.leafValue(node, i)));
            }
        } else {
            int n = (int) get(node + INNER_COUNT);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    kind.release(tx, get(s.innerKey(node, i)));
                }
                freeSubtree(tx, s, get(s.innerChild(node, i)), level - 1, get(s.innerCount(node, i)), kind, values);
            }
        }
        tx.free(node);
    }
}
