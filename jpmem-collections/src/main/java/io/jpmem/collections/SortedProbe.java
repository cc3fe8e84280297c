package io.jpmem.collections;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Comparator;

/**
 * A key being looked up, prepared once per operation so that comparing it with a stored key word
 * creates nothing: inline keys compare as longs, STRING and BYTES keys as unsigned bytes read 8 at a
 * time from the key bytes block. Only OBJECT keys and maps with a comparator build the stored key.
 */
final class SortedProbe {

    private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final PersistentHeap heap;
    private final ObjectSpace space;
    private final SortedKeyKind kind;
    private final Comparator<Object> comparator;
    final Object key;
    private final long word;
    private final byte[] bytes;
    private final long prefix;

    SortedProbe(PersistentHeap heap, ObjectSpace space, SortedKeyKind kind, Comparator<Object> comparator, Object key) {
        this.heap = heap;
        this.space = space;
        this.kind = kind;
        this.comparator = comparator;
        this.key = kind.check(key);
        this.word = comparator == null && kind.inline() ? kind.inlineWord(key) : 0;
        byte[] encoded = kind.ownsBlock() ? kind.bytesOf(key) : null;
        this.bytes = comparator == null ? encoded : null; // with a comparator, byte order means nothing
        this.prefix = encoded == null ? 0 : prefixOf(encoded);
    }

    /** {@return the first 8 bytes, big-endian, zero-padded: unsigned order agrees with the bytes' order where it differs} */
    static long prefixOf(byte[] bytes) {
        if (bytes.length >= 8) {
            return (long) BIG_ENDIAN.get(bytes, 0);
        }
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = p << 8 | (i < bytes.length ? bytes[i] & 0xFF : 0);
        }
        return p;
    }

    /** {@return the prefix word to store beside this key (0 for kinds without one)} */
    long prefix() {
        return prefix;
    }

    /**
     * {@return negative, zero or positive as the probe is below, equal to or above the key stored at
     * {@code keyAddress}} (a key word, followed by its prefix for STRING and BYTES keys): a differing
     * prefix decides without reading the key bytes block.
     */
    int compareAt(long keyAddress) {
        if (bytes != null) {
            long stored = heap.getLong(keyAddress + 8);
            if (stored != prefix) {
                return Long.compareUnsigned(prefix, stored);
            }
        }
        return compareTo(heap.getLong(keyAddress));
    }

    /** {@return negative, zero or positive as the probe is below, equal to or above the stored key word} */
    @SuppressWarnings("unchecked")
    int compareTo(long stored) {
        if (comparator != null) {
            return comparator.compare(key, kind.decode(heap, space, stored));
        }
        return switch (kind) {
            case LONG, INT, DOUBLE -> Long.compare(word, stored);
            case STRING, BYTES -> compareBytes(stored);
            case OBJECT -> ((Comparable<Object>) key).compareTo(space.load(stored));
        };
    }

    private int compareBytes(long block) {
        byte[] probe = bytes;
        long storedLength = heap.getLong(block);
        int common = (int) Math.min(probe.length, storedLength);
        long at = block + 8;
        int i = 0;
        for (; i + 8 <= common; i += 8) {
            long a = (long) BIG_ENDIAN.get(probe, i);
            long b = Long.reverseBytes(heap.getLong(at + i));
            if (a != b) {
                return Long.compareUnsigned(a, b);
            }
        }
        for (; i < common; i++) {
            int a = probe[i] & 0xFF;
            int b = heap.getByte(at + i) & 0xFF;
            if (a != b) {
                return a - b;
            }
        }
        return Long.compare(probe.length, storedLength);
    }
}
