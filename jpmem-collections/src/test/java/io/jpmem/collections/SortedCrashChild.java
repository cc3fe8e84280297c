package io.jpmem.collections;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.testing.KillAtBarrier;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link PSortedMapCrashTest}: applies operation after operation to a
 * {@code PSortedMap<String, Long>} until it is killed. Operation {@code i} is a pure function of
 * {@code (seed, i)} ({@link #apply}), and each commits in one transaction with the count of
 * operations done (root "progress"), so the state after a crash must be exactly the state after
 * the first {@code progress} operations.
 */
public final class SortedCrashChild {

    static final TypeLayout PROGRESS = TypeLayout.ofRecord("test.SortedProgress", 8, FieldLayout.of("done", FieldKind.LONG, 0));
    static final int KEYS = 2500;

    private SortedCrashChild() {}

    static HeapOptions options(Durability durability) {
        return HeapOptions.defaults().withDurability(durability).withMaxByteSize(16L << 20);
    }

    /** Operation {@code i}: puts, removes, a batch of puts, or a poll, on any NavigableMap (the model replays it). */
    static void apply(NavigableMap<String, Long> map, long seed, long i) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        int choice = r.nextInt(100);
        if (choice < 55) {
            map.put(key(r), i);
        } else if (choice < 90) {
            map.remove(key(r));
        } else if (choice < 96) {
            for (int j = 0; j < 30; j++) {
                map.put(key(r), i * 100 + j);
            }
        } else if (choice < 98) {
            map.pollFirstEntry();
        } else {
            map.pollLastEntry();
        }
    }

    private static String key(SplittableRandom r) {
        return String.format("k%04d", r.nextInt(KEYS));
    }

    /** args: heap path, durability, seed (the same for every child of a run), barrier to kill at (0: wait). */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Throwable {
        Path path = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        long seed = Long.parseLong(args[2]);
        long killAt = Long.parseLong(args[3]);
        KillAtBarrier.arm(killAt);
        PersistentHeap heap = PersistentHeap.openOrCreate(path, options(durability));
        HeapType progressType = heap.types().register(PROGRESS);
        ObjectSpace space = ObjectSpace.of(heap);
        if (heap.roots().get("progress").isEmpty()) {
            heap.transaction(tx -> {
                space.setRoot("map", new PSortedMap<String, Long>());
                heap.roots().create("progress", tx.allocate(progressType));
            });
        }
        PSortedMap<String, Long> map = space.root("map", PSortedMap.class);
        long progress = heap.roots().get("progress").orElseThrow();
        System.out.println("ready");
        System.out.flush();
        for (long i = heap.getLong(progress); ; i++) {
            long op = i;
            heap.transaction(tx -> {
                apply(map, seed, op);
                tx.putLong(progress, op + 1);
            });
        }
    }
}
