package io.jpmem.collections;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.testing.KillAtBarrier;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link SequenceCrashTest}: random mutations of a PDeque, a PList and a PBytes until it
 * is killed. Invariants the parent checks after each kill:
 * <ul>
 *   <li>the deque holds consecutive numbers {@code lo, lo + 1, ..., hi - 1}, even ones as Longs and odd
 *       ones as Strings (pushes and pops at both ends and trims keep it so; each is atomic on its own,
 *       some run in a transaction of their own, some in a caller's transaction with several others);
 *   <li>the list holds {@code 0, 1, ..., n - 1} as Longs, and {@code meta[0] == n}, updated in the same
 *       transaction as each change;
 *   <li>the bytes hold {@code pattern(0), ..., pattern(len - 1)} and {@code meta[1] == len}, likewise.
 * </ul>
 */
public final class SequenceCrashChild {

    private SequenceCrashChild() {}

    static HeapOptions options(Durability durability) {
        return HeapOptions.defaults().withDurability(durability).withMaxByteSize(8L << 20);
    }

    static byte pattern(long position) {
        return (byte) (position * 31 + 7);
    }

    static Object dequeValue(long n) {
        return (n & 1) == 0 ? (Object) n : Long.toString(n);
    }

    /** args: heap path, durability, seed, barrier to kill at (0: wait to be killed). */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Throwable {
        Path path = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        long killAt = Long.parseLong(args[3]);
        KillAtBarrier.arm(killAt);
        PersistentHeap heap = PersistentHeap.openOrCreate(path, options(durability));
        ObjectSpace space = ObjectSpace.of(heap);
        if (heap.roots().get("deque").isEmpty()) {
            heap.transaction(tx -> {
                space.setRoot("deque", new PDeque<>(random.nextBoolean() ? 4 : 256));
                space.setRoot("list", new PList<>());
                space.setRoot("bytes", new PBytes());
                PList<Long> meta = new PList<>();
                meta.add(0L);
                meta.add(0L);
                space.setRoot("meta", meta);
            });
        }
        PDeque<Object> deque = space.root("deque", PDeque.class);
        PList<Long> list = space.root("list", PList.class);
        PBytes bytes = space.root("bytes", PBytes.class);
        PList<Long> meta = space.root("meta", PList.class);
        System.out.println("ready");
        System.out.flush();
        while (true) {
            if (random.nextInt(3) == 0) {
                dequeStep(deque, random); // a transaction of its own
            } else {
                heap.transaction(tx -> {
                    for (int k = random.nextInt(1, 4); k > 0; k--) {
                        switch (random.nextInt(4)) {
                            case 0 -> dequeStep(deque, random);
                            case 1 -> listStep(list, meta, random);
                            default -> bytesStep(bytes, meta, random);
                        }
                    }
                });
            }
        }
    }

    private static long lo(PDeque<Object> deque) {
        Object first = deque.peekFirst();
        return first == null ? 0 : first instanceof Long l ? l : Long.parseLong((String) first);
    }

    private static void dequeStep(PDeque<Object> deque, SplittableRandom random) {
        long size = deque.size();
        long lo = lo(deque);
        long hi = lo + size;
        int op = random.nextInt(size > 600 ? 10 : 7);
        switch (op) {
            case 0, 1 -> deque.addLast(dequeValue(hi));
            case 2, 3 -> deque.addFirst(dequeValue(lo - 1));
            case 4 -> {
                if (size > 4) {
                    deque.trim(random.nextInt(3), size - random.nextInt(3));
                }
            }
            case 5 -> {
                if (size > 0) {
                    long i = random.nextLong(size);
                    deque.set(i, dequeValue(lo + i)); // a new copy of the same value: the old one is freed
                }
            }
            case 6, 8 -> deque.pollFirst();
            default -> deque.pollLast();
        }
    }

    private static void listStep(PList<Long> list, PList<Long> meta, SplittableRandom random) {
        int size = list.size();
        int op = random.nextInt(size > 300 ? 6 : 4);
        if (op < 2) {
            list.add((long) size);
            meta.set(0, size + 1L);
        } else if (op == 2 && size > 0) {
            int i = random.nextInt(size);
            list.set(i, (long) i);
        } else if (size > 0) {
            int from = random.nextInt(Math.max(0, size - 20), size);
            list.subList(from, size).clear();
            meta.set(0, (long) from);
        }
    }

    private static void bytesStep(PBytes bytes, PList<Long> meta, SplittableRandom random) {
        long length = bytes.length();
        if (length > 6000 || random.nextInt(8) == 0) {
            long keep = random.nextLong(length + 1);
            bytes.setLength(keep);
            meta.set(1, keep);
        } else {
            byte[] more = new byte[random.nextInt(1, 200)];
            for (int i = 0; i < more.length; i++) {
                more[i] = pattern(length + i);
            }
            bytes.append(more);
            meta.set(1, length + more.length);
        }
    }
}
