package io.jpmem.collections;

import static io.jpmem.collections.SeqTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PDeque against ArrayDeque: random operations at both ends, by index and by range, compared after each,
 * across close and reopen; small chunks make the ring wrap, grow and free chunks often.
 */
class PDequeTest {

    @TempDir
    Path dir;

    private PersistentHeap heap;
    private PDeque<Object> deque;
    private PList<PString> keep;

    @AfterEach
    void noDefault() {
        ObjectSpace.setDefault(null);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 256})
    @SuppressWarnings("unchecked")
    void behavesLikeArrayDequeAcrossReopen(int chunkSlots) {
        long seed = seed("PDequeTest chunkSlots=" + chunkSlots);
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve("pdeque.heap");
        ArrayDeque<String> model = new ArrayDeque<>();
        heap = open(file, Durability.PROCESS);
        ObjectSpace space = ObjectSpace.of(heap);
        deque = new PDeque<>(chunkSlots);
        keep = new PList<>();
        space.setRoot("deque", deque);
        space.setRoot("keep", keep);
        try {
            for (int step = 0; step < 4000; step++) {
                String context = "seed " + seed + " chunkSlots " + chunkSlots + " step " + step;
                int size = model.size();
                int op = random.nextInt(100);
                // bias towards growth in the first half, shrinking in the second
                boolean grow = step < 2000 ? random.nextInt(10) < 6 : random.nextInt(10) < 4;
                if (op < 40) {
                    Object e = randomElement(random, keep, false);
                    if (grow == (op < 20)) {
                        deque.addFirst(e);
                        model.addFirst(canon(e));
                    } else {
                        deque.addLast(e);
                        model.addLast(canon(e));
                    }
                } else if (op < 62) {
                    if (op < 51) {
                        assertEquals(orNull(model.pollFirst()), canon(deque.pollFirst()), context);
                    } else {
                        assertEquals(orNull(model.pollLast()), canon(deque.pollLast()), context);
                    }
                } else if (op < 66 && size > 0) {
                    int i = random.nextInt(size);
                    Object e = randomElement(random, keep, false);
                    List<String> l = new ArrayList<>(model);
                    assertEquals(l.set(i, canon(e)), canon(deque.set(i, e)), context);
                    model = new ArrayDeque<>(l);
                } else if (op < 69) {
                    int i = random.nextInt(size + 1);
                    Object e = randomElement(random, keep, false);
                    List<String> l = new ArrayList<>(model);
                    l.add(i, canon(e));
                    deque.insert(i, e);
                    model = new ArrayDeque<>(l);
                } else if (op < 72 && size > 0) {
                    int i = random.nextInt(size);
                    List<String> l = new ArrayList<>(model);
                    assertEquals(l.remove(i), canon(deque.removeAt(i)), context);
                    model = new ArrayDeque<>(l);
                } else if (op < 74 && size > 0) {
                    int from = random.nextInt(size + 1);
                    int to = random.nextInt(from, size + 1);
                    if (random.nextInt(3) > 0) { // mostly small trims, as LTRIM is used
                        from = Math.min(from, 2);
                        to = Math.max(to, size - 2);
                    }
                    deque.trim(from, to);
                    model = new ArrayDeque<>(new ArrayList<>(model).subList(from, to));
                } else if (op < 78 && size > 0) {
                    int from = random.nextInt(size + 1);
                    int to = random.nextInt(from, size + 1);
                    assertEquals(new ArrayList<>(model).subList(from, to), canon(deque.range(from, to)), context);
                } else if (op < 80 && size > 0) {
                    int i = random.nextInt(size);
                    assertEquals(new ArrayList<>(model).get(i), canon(deque.get(i)), context);
                } else if (op < 82 && size > 0) {
                    int target = random.nextInt(size);
                    boolean descending = random.nextBoolean();
                    Iterator<Object> it = descending ? deque.descendingIterator() : deque.iterator();
                    Iterator<String> mt = descending ? model.descendingIterator() : model.iterator();
                    for (int k = 0; k <= target; k++) {
                        assertEquals(mt.next(), canon(it.next()), context);
                    }
                    it.remove();
                    mt.remove();
                    if (it.hasNext()) {
                        assertEquals(mt.next(), canon(it.next()), context);
                    }
                } else if (op < 84 && size > 0) {
                    // LREM: a fresh copy of an element (byte[] must match by content), some count
                    Object target = deque.get(random.nextInt(size));
                    if (random.nextBoolean()) {
                        assertEquals(model.removeLastOccurrence(canon(target)), deque.removeLastOccurrence(target), context);
                    } else {
                        long count = random.nextInt(-2, 3);
                        List<String> l = new ArrayList<>(model);
                        long removed = 0;
                        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
                        // head to tail for count >= 0, tail to head for count < 0, as LREM
                        if (count < 0) {
                            for (int i = l.size() - 1; i >= 0 && removed < limit; i--) {
                                if (l.get(i).equals(canon(target))) {
                                    l.remove(i);
                                    removed++;
                                }
                            }
                        } else {
                            for (int i = 0; i < l.size() && removed < limit; ) {
                                if (l.get(i).equals(canon(target))) {
                                    l.remove(i);
                                    removed++;
                                } else {
                                    i++;
                                }
                            }
                        }
                        assertEquals(removed, deque.removeOccurrences(target, count), context);
                        assertTrue(removed > 0, context);
                        model = new ArrayDeque<>(l);
                    }
                } else if (op < 85 && random.nextInt(3) == 0) {
                    // drop the Longs in one step
                    assertEquals(model.removeIf(c -> c.startsWith("L:")), deque.removeIf(e -> e instanceof Long), context);
                } else if (op < 86) {
                    Object e = randomElement(random, keep, true);
                    assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
                        deque.addFirst(e);
                        deque.addLast(e);
                        deque.pollFirst();
                        throw new IllegalStateException("roll back");
                    }), context);
                } else if (op < 87) {
                    assertThrows(NullPointerException.class, () -> deque.addLast(null), context);
                    assertThrows(IllegalArgumentException.class, () -> deque.addFirst(new Object()), context);
                } else if (op < 88 && random.nextInt(4) == 0) {
                    deque.clear();
                    model.clear();
                } else if (op < 92) {
                    List<Object> more = new ArrayList<>();
                    for (int k = random.nextInt(6); k > 0; k--) {
                        more.add(randomElement(random, keep, true));
                    }
                    assertEquals(model.addAll(canon(more)), deque.addAll(more), context);
                } else if (op < 95) {
                    heap.close();
                    heap = open(file, Durability.PROCESS);
                    space = ObjectSpace.of(heap);
                    deque = space.root("deque", PDeque.class);
                    keep = space.root("keep", PList.class);
                } else {
                    assertEquals(orNull(model.peekFirst()), canon(deque.peekFirst()), context);
                    assertEquals(orNull(model.peekLast()), canon(deque.peekLast()), context);
                }
                assertEquals(model.size(), deque.size(), context);
                if (Boolean.getBoolean("jpmem.test.leakEachStep")) {
                    assertEquals(0, heap.unreachableBlocks(), context + " op " + op);
                }
                if (step % 20 == 0 || op >= 92) {
                    assertEquals(new ArrayList<>(model), canon(deque), context);
                }
            }
            assertEquals(List.of(), heap.check());
            assertEquals(0, heap.unreachableBlocks(), "seed " + seed + ": blocks leaked");
            deque.clear();
            heap.transaction(tx -> {
                for (PString p : keep) {
                    p.free();
                }
                keep.clear();
            });
            assertEquals(List.of(), heap.check());
            assertEquals(2, heap.allocationStats().allocatedBlocks(), "seed " + seed + ": only the two headers remain");
        } finally {
            heap.close();
        }
    }

    @Test
    void emptyDequeFollowsTheDequeContract() {
        heap = open(dir.resolve("empty.heap"), Durability.PROCESS);
        try {
            PDeque<String> d = new PDeque<>();
            assertNull(d.pollFirst());
            assertNull(d.peekLast());
            assertThrows(NoSuchElementException.class, d::removeLast);
            assertThrows(NoSuchElementException.class, d::getFirst);
            assertThrows(IndexOutOfBoundsException.class, () -> d.get(0));
            assertThrows(IllegalArgumentException.class, () -> new PDeque<String>(3));
            d.push("a");
            d.offer("b");
            assertEquals(List.of("b", "a"), List.copyOf(d.reversed()));
            assertEquals("a", d.pop());
            d.free();
            assertEquals(0, heap.allocationStats().allocatedBlocks());
        } finally {
            heap.close();
        }
    }

    @Test
    void growthNeverCopiesTheElements() {
        heap = open(dir.resolve("growth.heap"), Durability.PROCESS);
        try {
            PDeque<Long> d = new PDeque<>(4);
            ObjectSpace.of(heap).setRoot("d", d);
            for (long i = 0; i < 64; i++) {
                d.addFirst(i); // the ring's first chunk wraps: growth splits it
            }
            long chunk = heap.getRef(heap.getRef(d.$jpmemRef() + PDeque.DIRECTORY) + 8);
            long element = heap.getRef(chunk);
            assertEquals(16, heap.getLong(d.$jpmemRef() + PDeque.DIR_CAP), "64 elements fill 16 chunks of 4");
            d.addFirst(64L);
            assertEquals(32, heap.getLong(d.$jpmemRef() + PDeque.DIR_CAP), "the directory doubled");
            assertTrue(heap.isAllocated(chunk), "the chunk moved to the new directory, not copied");
            assertEquals(element, findSlotHolding(d, element), "the element's copy stayed where it was");
            assertEquals(List.of(), heap.check());
        } finally {
            heap.close();
        }
    }

    private static String orNull(String canon) {
        return canon == null ? "null" : canon;
    }

    private long findSlotHolding(PDeque<Long> d, long element) {
        long directory = heap.getRef(d.$jpmemRef() + PDeque.DIRECTORY);
        long dirCap = heap.getLong(d.$jpmemRef() + PDeque.DIR_CAP);
        for (long c = 0; c < dirCap; c++) {
            long chunk = heap.getRef(directory + 8 * c);
            for (long s = 0; chunk != 0 && s < 4; s++) {
                if (heap.getRef(chunk + 8 * s) == element) {
                    return element;
                }
            }
        }
        return 0;
    }
}
