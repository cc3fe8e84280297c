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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link HashCrashTest}: runs the deterministic sequence of steps {@link #ops} on
 * the root map, from the step the root counter names, until it is killed. A step of several
 * operations runs in one caller transaction that also advances the counter; a step of one operation
 * runs it in the map's own transaction, then the same on the root set of keys in the set's own
 * transaction, then advances the counter in another (so after a crash the map and the set may
 * each be one such step ahead of the counter). With a positive barrier count, the child
 * kills itself with SIGKILL at that persist barrier.
 */
public final class HashCrashChild {

    static final TypeLayout COUNTER = TypeLayout.ofRecord("hashcrash.Counter", 8, FieldLayout.of("steps", FieldKind.LONG, 0));

    /** One operation of a step: a put (value non-null) or a remove. */
    record Op(Object key, Object value) {}

    private HashCrashChild() {}

    static HeapOptions options(Durability durability) {
        return HeapOptions.defaults().withDurability(durability).withMaxByteSize(8L << 20);
    }

    /** {@return whether step {@code step} is one operation in the map's own transaction} */
    static boolean ownTransaction(long step) {
        return random(step).nextInt(5) < 2;
    }

    /** {@return the operations of step {@code step}: the same in every process} */
    static List<Op> ops(long step) {
        SplittableRandom random = random(step);
        int count = random.nextInt(5) < 2 ? 1 : 1 + random.nextInt(4);
        boolean growing = (step / 2500) % 2 == 0; // phases of mostly puts and mostly removes: grows and shrinks
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = random.nextInt(1200);
            Object key = n % 3 == 0 ? (Object) (long) n : "k" + n;
            boolean put = random.nextInt(10) < (growing ? 7 : 3);
            Object value = !put ? null : random.nextBoolean() ? (Object) step : "v" + step + "-" + "x".repeat(n % 20);
            ops.add(new Op(key, value));
        }
        return ops;
    }

    private static SplittableRandom random(long step) {
        return new SplittableRandom(0x5EED_0F_4A5L ^ (step * 0x9E3779B97F4A7C15L));
    }

    static void apply(Map<Object, Object> map, List<Op> ops) {
        for (Op op : ops) {
            if (op.value() != null) {
                map.put(op.key(), op.value());
            } else {
                map.remove(op.key());
            }
        }
    }

    /** The same operations on a set of the keys: add for a put, remove for a remove. */
    static void applyToKeys(Set<Object> set, List<Op> ops) {
        for (Op op : ops) {
            if (op.value() != null) {
                set.add(op.key());
            } else {
                set.remove(op.key());
            }
        }
    }

    /** args: heap path, durability, seed (unused: the steps are fixed), barrier to kill at (0: wait to be killed). */
    public static void main(String[] args) throws Throwable {
        Path path = Path.of(args[0]);
        long killAt = Long.parseLong(args[3]);
        KillAtBarrier.arm(killAt);
        PersistentHeap heap = PersistentHeap.openOrCreate(path, options(Durability.valueOf(args[1])));
        ObjectSpace space = ObjectSpace.of(heap);
        HeapType counterType = heap.types().register(COUNTER);
        if (heap.roots().get("map").isEmpty()) {
            heap.transaction(tx -> {
                space.setRoot("map", new PHashMap<>());
                space.setRoot("keys", new PHashSet<>());
                heap.roots().create("counter", tx.allocate(counterType));
            });
        }
        @SuppressWarnings("unchecked")
        PHashMap<Object, Object> map = space.root("map", PHashMap.class);
        @SuppressWarnings("unchecked")
        PHashSet<Object> keys = space.root("keys", PHashSet.class);
        long counter = heap.roots().get("counter").orElseThrow();
        System.out.println("ready");
        System.out.flush();
        while (true) {
            long step = heap.getLong(counter);
            List<Op> ops = ops(step);
            if (ownTransaction(step)) {
                apply(map, ops);
                applyToKeys(keys, ops);
                heap.transaction(tx -> tx.putLong(counter, step + 1));
            } else {
                heap.transaction(tx -> {
                    apply(map, ops);
                    applyToKeys(keys, ops);
                    tx.putLong(counter, step + 1);
                });
            }
        }
    }
}
