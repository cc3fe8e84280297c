package io.jpmem.collections;

import static io.jpmem.collections.SeqTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PList against ArrayList: random operations, compared after each, across close and reopen. */
class PListTest {

    @TempDir
    Path dir;

    private PersistentHeap heap;
    private PList<Object> list;
    private PList<PString> keep;

    @AfterEach
    void noDefault() {
        ObjectSpace.setDefault(null);
    }

    @Test
    void newAllocatesLikeNewOfAPersistentClass() {
        heap = PersistentHeap.openOrCreate(dir.resolve("new.heap"), options(Durability.PROCESS));
        try {
            ObjectSpace.setDefault(null);
            IllegalStateException e = assertThrows(IllegalStateException.class, PList::new);
            assertTrue(e.getMessage().contains("setDefault"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> new PString("x"));
            long before = heap.allocationStats().allocatedBlocks();
            assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
                PList<Object> l = new PList<>(); // in the transaction's heap, though no default is set
                l.add("a");
                new PDeque<>().add(1L);
                new PBytes(new byte[10]);
                new PString("s");
                throw new IllegalStateException("roll back");
            }));
            assertEquals(before, heap.allocationStats().allocatedBlocks(), "a rolled-back new leaves nothing");
            ObjectSpace.setDefault(heap);
            PDeque<String> d = new PDeque<>(); // outside a transaction: in the default heap, in one of its own
            assertSame(heap, d.$jpmemSpace().heap());
            assertThrows(IllegalArgumentException.class, () -> new PList<>(List.of("ok", new Object())));
            assertEquals(before + 1, heap.allocationStats().allocatedBlocks(), "a refused element frees the new list");
            assertEquals(List.of(), heap.check());
        } finally {
            heap.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void behavesLikeArrayListAcrossReopen() {
        long seed = seed("PListTest");
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve("plist.heap");
        List<String> model = new ArrayList<>();
        heap = open(file, Durability.PROCESS);
        ObjectSpace space = ObjectSpace.of(heap);
        list = new PList<>();
        keep = new PList<>();
        space.setRoot("list", list);
        space.setRoot("keep", keep);
        try {
            for (int step = 0; step < 3000; step++) {
                String context = "seed " + seed + " step " + step;
                int size = model.size();
                int op = random.nextInt(100);
                if (op < 30) {
                    Object e = randomElement(random, keep, false);
                    assertTrue(list.add(e));
                    model.add(canon(e));
                } else if (op < 40) {
                    int i = random.nextInt(size + 1);
                    Object e = randomElement(random, keep, false);
                    list.add(i, e);
                    model.add(i, canon(e));
                } else if (op < 50 && size > 0) {
                    int i = random.nextInt(size);
                    Object e = random.nextInt(8) == 0 ? null : randomElement(random, keep, false);
                    assertEquals(model.set(i, canon(e)), canon(list.set(i, e)), context);
                } else if (op < 62 && size > 0) {
                    int i = random.nextInt(size);
                    assertEquals(model.remove(i), canon(list.remove(i)), context);
                } else if (op < 66) {
                    List<Object> more = new ArrayList<>();
                    for (int k = random.nextInt(5); k > 0; k--) {
                        more.add(randomElement(random, keep, false));
                    }
                    int i = random.nextInt(size + 1);
                    assertEquals(model.addAll(i, canon(more)), list.addAll(i, more), context);
                } else if (op < 69 && size > 0) {
                    int from = random.nextInt(size + 1);
                    int to = random.nextInt(from, size + 1);
                    list.subList(from, to).clear();
                    model.subList(from, to).clear();
                } else if (op < 72 && size > 0) {
                    int target = random.nextInt(size);
                    Iterator<Object> it = list.iterator();
                    Iterator<String> mt = model.iterator();
                    for (int k = 0; k <= target; k++) {
                        assertEquals(mt.next(), canon(it.next()), context);
                    }
                    it.remove();
                    mt.remove();
                } else if (op < 74) {
                    // a caller's transaction that fails: every change in it rolls back
                    Object e = randomElement(random, keep, true);
                    assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
                        list.add(e);
                        if (!list.isEmpty()) {
                            list.remove(0);
                        }
                        list.add(0, e);
                        throw new IllegalStateException("roll back");
                    }));
                } else if (op < 76) {
                    assertThrows(IllegalArgumentException.class, () -> list.add(new Object()), context);
                } else if (op < 77) {
                    list.clear();
                    model.clear();
                } else if (op < 79) {
                    heap.transaction(tx -> {
                        Object e = randomElement(random, keep, true);
                        list.add(e);
                        list.add(e);
                        model.add(canon(e));
                        model.add(canon(e));
                    });
                } else if (op < 82) {
                    heap.close();
                    heap = open(file, Durability.PROCESS);
                    space = ObjectSpace.of(heap);
                    list = space.root("list", PList.class);
                    keep = space.root("keep", PList.class);
                } else if (op < 87) {
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            list.sort(java.util.Comparator.comparing(SeqTesting::canon));
                            model.sort(null);
                        }
                        case 1 -> {
                            // drop the Longs
                            assertEquals(model.removeIf(c -> c.startsWith("L:")), list.removeIf(e -> e instanceof Long), context);
                        }
                        default -> {
                            list.replaceAll(e -> e instanceof Long l ? (Object) (l + 1) : e);
                            model.replaceAll(c -> c.startsWith("L:") ? "L:" + (Long.parseLong(c.substring(2)) + 1) : c);
                        }
                    }
                    assertEquals(model, canon(list), context);
                } else if (op < 89 && size > 0) {
                    // a fresh copy of an element: found by content, byte[] included
                    Object target = list.get(random.nextInt(size));
                    assertEquals(model.indexOf(canon(target)), list.indexOf(target), context);
                    assertEquals(model.lastIndexOf(canon(target)), list.lastIndexOf(target), context);
                    assertEquals(model.remove(canon(target)), list.remove(target), context);
                } else if (size > 0) {
                    int i = random.nextInt(size);
                    assertEquals(model.get(i), canon(list.get(i)), context);
                }
                assertEquals(model.size(), list.size(), context);
                if (step % 25 == 0 || op >= 79) {
                    assertEquals(model, canon(list), context);
                    assertEquals(model.isEmpty() ? 1 : 0, list.isEmpty() ? 1 : 0, context);
                }
            }
            assertEquals(List.of(), heap.check());
            assertEquals(0, heap.unreachableBlocks(), "seed " + seed + ": blocks leaked");
            list.clear();
            heap.transaction(tx -> {
                for (PString p : keep) {
                    p.free(); // the list holds persistent objects by reference and never frees them
                }
                keep.clear();
            });
            assertEquals(List.of(), heap.check());
            assertEquals(2, heap.allocationStats().allocatedBlocks(), "seed " + seed + ": only the two headers remain");
        } finally {
            heap.close();
        }
    }
}
