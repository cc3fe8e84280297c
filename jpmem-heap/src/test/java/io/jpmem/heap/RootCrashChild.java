package io.jpmem.heap;

import io.jpmem.persist.Durability;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link SigkillTest}: updates roots and raw words in a loop until it is killed.
 *
 * <p>Setup is one transaction: 16 record blocks (kept reachable through the array root
 * {@code records}), a raw word array (root {@code raw}), and roots {@code r0..r7} each pointing at
 * one of its two records. An update writes the next record into the other block with raw stores,
 * persists it, then flips the root (one atomic root update outside any transaction). A record is
 * whole when its check word matches. Raw words are single persisted 8-byte stores of self-checking
 * values. After each root update returns, the child prints {@code ack <i> <seq>}.
 */
public final class RootCrashChild {

    static final int ROOTS = 8;
    static final int RECORD_BYTES = 64;
    static final int RAW_WORDS = 512;
    static final TypeLayout RECORD = TypeLayout.ofRecord("test.Record", RECORD_BYTES,
            FieldLayout.of("seq", FieldKind.LONG, 0), FieldLayout.of("check", FieldKind.LONG, 56));
    static final TypeLayout REFS = TypeLayout.ofArray("test.Refs", FieldKind.REF);
    static final TypeLayout LONGS = TypeLayout.ofArray("test.Longs", FieldKind.LONG);

    private RootCrashChild() {}

    static long region(PersistentHeap heap, int root, int copy) {
        return heap.getRef(heap.roots().get("records").orElseThrow() + 8L * (2 * root + copy));
    }

    static long rawWord(PersistentHeap heap, int index) {
        return heap.roots().get("raw").orElseThrow() + 8L * index;
    }

    static long mix(long seq, int j) {
        long z = seq * 0x9E3779B97F4A7C15L + j * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A raw word: sequence in the high 32 bits, a hash of it in the low 32. Never 0 for seq >= 1. */
    static long rawValue(long seq) {
        return (seq << 32) | (mix(seq, 99) & 0xFFFF_FFFFL);
    }

    static boolean rawWordValid(long word) {
        return word == 0 || rawValue(word >>> 32) == word;
    }

    static void writeRecord(PersistentHeap heap, long at, long seq) {
        long check = 0;
        heap.putLong(at, seq);
        check ^= seq;
        for (int j = 1; j < 7; j++) {
            long value = mix(seq, j);
            heap.putLong(at + 8L * j, value);
            check ^= value;
        }
        heap.putLong(at + 56, check ^ 0x5EED);
        heap.persist(at, RECORD_BYTES);
    }

    /** {@return the record's sequence, or -1 if the record is not whole} */
    static long readRecord(PersistentHeap heap, long at) {
        long seq = heap.getLong(at);
        long check = seq;
        for (int j = 1; j < 7; j++) {
            long value = heap.getLong(at + 8L * j);
            if (value != mix(seq, j)) {
                return -1;
            }
            check ^= value;
        }
        return heap.getLong(at + 56) == (check ^ 0x5EED) ? seq : -1;
    }

    static void setUp(PersistentHeap heap) {
        HeapType record = heap.types().register(RECORD);
        HeapType refs = heap.types().register(REFS);
        HeapType longs = heap.types().register(LONGS);
        heap.transaction(tx -> {
            long records = tx.allocateArray(refs, 2 * ROOTS);
            for (int i = 0; i < 2 * ROOTS; i++) {
                tx.putRef(records + 8L * i, tx.allocate(record));
            }
            heap.roots().create("records", records);
            heap.roots().create("raw", tx.allocateArray(longs, RAW_WORDS));
            for (int i = 0; i < ROOTS; i++) {
                long first = heap.getRef(records + 16L * i);
                tx.putLong(first + 56, 0x5EED ^ checkOfZero());
                heap.roots().create("r" + i, first);
            }
        });
    }

    private static long checkOfZero() {
        long check = 0;
        for (int j = 1; j < 7; j++) {
            check ^= mix(0, j);
        }
        return check;
    }

    /** args: heap path, durability, seed. */
    public static void main(String[] args) {
        Path path = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        PersistentHeap heap = PersistentHeap.openOrCreate(path,
                HeapOptions.defaults().withDurability(durability).withMaxByteSize(1 << 20));
        if (heap.roots().get("records").isEmpty()) {
            setUp(heap);
            for (int i = 0; i < ROOTS; i++) {
                writeRecord(heap, region(heap, i, 0), 0);
            }
        }
        long seq = 0;
        for (int i = 0; i < ROOTS; i++) {
            seq = Math.max(seq, readRecord(heap, heap.roots().get("r" + i).orElseThrow()));
        }
        out.println("ready");
        out.flush();
        for (long iteration = 0; ; iteration++) {
            seq++;
            int root = random.nextInt(ROOTS);
            String name = "r" + root;
            long current = heap.roots().get(name).orElseThrow();
            long target = current == region(heap, root, 0) ? region(heap, root, 1) : region(heap, root, 0);
            writeRecord(heap, target, seq);
            heap.roots().set(name, target);
            out.println("ack " + root + " " + seq);
            long word = rawWord(heap, random.nextInt(RAW_WORDS));
            heap.putLong(word, rawValue(seq));
            heap.persist(word, 8);
            if (iteration % 16 == 0) {
                if (!heap.roots().remove("tmp")) {
                    heap.roots().create("tmp", target);
                }
            }
            if (iteration % 32 == 0) {
                out.flush();
            }
        }
    }
}
