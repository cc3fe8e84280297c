package io.jpmem.collections;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/** Shared by the sequence tests: heaps, seeds, random elements and a canonical form to compare them. */
final class SeqTesting {

    private SeqTesting() {}

    static HeapOptions options(Durability durability) {
        return HeapOptions.defaults().withDurability(durability).withMaxByteSize(32L << 20);
    }

    /** Opens (or creates) a heap and makes it the default for {@code new}. */
    static PersistentHeap open(Path file, Durability durability) {
        PersistentHeap heap = PersistentHeap.openOrCreate(file, options(durability));
        ObjectSpace.setDefault(heap);
        return heap;
    }

    static long seed(String test) {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        System.out.println(test + " seed=" + seed);
        return seed;
    }

    /** A random string: ASCII, accented, CJK, a supplementary character, sometimes empty. */
    static String randomString(SplittableRandom random) {
        int length = random.nextInt(0, 12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> s.append('\u00e9');
                case 1 -> s.append('\u4e2d');
                case 2 -> s.appendCodePoint(0x1F600);
                case 3 -> s.append('\uff21');
                default -> s.append((char) ('a' + random.nextInt(26)));
            }
        }
        return s.toString();
    }

    /**
     * A random element: a String, a Long, a byte[] or a PString (a persistent object held by
     * reference; {@code keep} holds each so none is ever unreachable).
     */
    static Object randomElement(SplittableRandom random, PList<PString> keep, boolean values) {
        return switch (random.nextInt(values ? 3 : 4)) {
            case 0 -> randomString(random);
            case 1 -> random.nextLong(-1000, 1000);
            case 2 -> {
                byte[] b = new byte[random.nextInt(0, 20)];
                random.nextBytes(b);
                yield b;
            }
            default -> {
                PString p = new PString(randomString(random));
                keep.add(p);
                yield p;
            }
        };
    }

    /** {@return a form that compares equal exactly when the elements are equal values} */
    static String canon(Object o) {
        return switch (o) {
            case null -> "null";
            case String s -> "S:" + s;
            case Long l -> "L:" + l;
            case byte[] b -> "B:" + Arrays.toString(b);
            case PString p -> "P:" + p;
            default -> throw new AssertionError("unexpected element " + o.getClass());
        };
    }

    static List<String> canon(Collection<?> elements) {
        List<String> out = new ArrayList<>();
        for (Object o : elements) {
            out.add(canon(o));
        }
        return out;
    }
}
