package io.jpmem.explorer;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.TypeLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations of the foundation layers, as explorer scenarios: allocation, free, root updates
 * (alone and in transactions), transactions of 1 to 8 stores, a snapshot, log growth, a large
 * block, and two threads' transactions interleaved at store granularity.
 */
final class HeapScenarios {

    private HeapScenarios() {}

    static final TypeLayout NODE = TypeLayout.ofRecord("test.Node", 16,
            FieldLayout.of("value", FieldKind.LONG, 0), FieldLayout.of("next", FieldKind.REF, 8));
    static final TypeLayout REFS = TypeLayout.ofArray("test.Refs", FieldKind.REF);
    /** 40 bytes: a size class of its own (48-byte slots), so a chain of them fills a slab alone. */
    static final TypeLayout CELL = TypeLayout.ofRecord("test.Cell", 40,
            FieldLayout.of("value", FieldKind.LONG, 0), FieldLayout.of("next", FieldKind.REF, 8));
    /** Cells in the chain: more than one 16 KiB slab of 48-byte slots holds. */
    static final int CHAIN = 400;

    /** Set-up: a root "list" -> node(100) -> node(50), and an array root "slots" of 8 nodes. */
    static void twoNodesAndSlots(PersistentHeap heap) {
        HeapType node = heap.types().register(NODE);
        HeapType refs = heap.types().register(REFS);
        heap.transaction(tx -> {
            long a = tx.allocate(node);
            long b = tx.allocate(node);
            tx.putLong(a, 100);
            tx.putLong(b, 50);
            tx.putRef(a + 8, b);
            heap.roots().create("list", a);
            long slots = tx.allocateArray(refs, 8);
            for (int i = 0; i < 8; i++) {
                long n = tx.allocate(node);
                tx.putLong(n, i);
                tx.putRef(slots + 8L * i, n);
            }
            heap.roots().create("slots", slots);
        });
    }

    static long first(PersistentHeap heap) {
        return heap.roots().get("list").orElseThrow();
    }

    static long slot(PersistentHeap heap, int i) {
        return heap.getRef(heap.roots().get("slots").orElseThrow() + 8L * i);
    }

    static HeapType node(PersistentHeap heap) {
        return heap.types().find("test.Node").orElseThrow();
    }

    static List<Scenario> all() {
        List<Scenario> scenarios = new ArrayList<>();
        scenarios.add(Scenario.of("allocate-and-link", HeapScenarios::twoNodesAndSlots, heap -> heap.transaction(tx -> {
            long fresh = tx.allocate(node(heap));
            tx.putLong(fresh, 7);
            tx.putRef(fresh + 8, heap.getRef(first(heap) + 8));
            tx.putRef(first(heap) + 8, fresh);
        })));
        scenarios.add(Scenario.of("unlink-and-free", HeapScenarios::twoNodesAndSlots, heap -> heap.transaction(tx -> {
            long b = heap.getRef(first(heap) + 8);
            tx.putRef(first(heap) + 8, 0);
            tx.free(b);
        })));
        scenarios.add(Scenario.of("free-and-reallocate", HeapScenarios::twoNodesAndSlots, heap -> heap.transaction(tx -> {
            long b = heap.getRef(first(heap) + 8);
            tx.free(b);
            long fresh = tx.allocate(node(heap));
            tx.putLong(fresh, 51);
            tx.putRef(first(heap) + 8, fresh);
        })));
        scenarios.add(Scenario.of("root-create", HeapScenarios::twoNodesAndSlots,
                heap -> heap.roots().create("second", heap.getRef(first(heap) + 8))));
        scenarios.add(Scenario.of("root-set", HeapScenarios::twoNodesAndSlots,
                heap -> heap.roots().set("list", heap.getRef(first(heap) + 8))));
        scenarios.add(Scenario.of("root-remove", HeapScenarios::twoNodesAndSlots,
                heap -> heap.roots().remove("slots")));
        scenarios.add(Scenario.of("roots-in-a-transaction", HeapScenarios::twoNodesAndSlots, heap -> heap.transaction(tx -> {
            heap.roots().create("second", heap.getRef(first(heap) + 8));
            heap.roots().set("list", heap.getRef(first(heap) + 8));
            heap.roots().remove("second");
            heap.roots().create("third", slot(heap, 3));
        })));
        for (int n = 1; n <= 16; n++) {
            int stores = n;
            scenarios.add(Scenario.of("transaction-of-" + n + "-stores", HeapScenarios::twoNodesAndSlots,
                    heap -> heap.transaction(tx -> {
                        for (int i = 0; i < stores; i++) {
                            tx.putLong(slot(heap, i % 8) + (i < 8 ? 0 : 8), i < 8 ? 1000 + i : 0);
                        }
                    })));
        }
        scenarios.add(Scenario.of("snapshot-then-stores", HeapScenarios::twoNodesAndSlots, heap -> heap.transaction(tx -> {
            long a = first(heap);
            tx.snapshot(a, 16);
            tx.putLong(a, 1);
            tx.putRef(a + 8, 0);
        })));
        scenarios.add(Scenario.of("rollback-to-savepoint", HeapScenarios::twoNodesAndSlots, heap -> heap.transaction(tx -> {
            long a = first(heap);
            tx.putLong(a, 1);                                   // before the savepoint: commits
            io.jpmem.heap.Transaction.Savepoint mark = tx.savepoint();
            tx.putLong(a, 2);                                   // after it: undone
            long fresh = tx.allocate(node(heap));
            tx.putRef(a + 8, fresh);
            heap.roots().create("late", fresh);
            tx.free(slot(heap, 1));
            tx.rollbackTo(mark);
            tx.putLong(slot(heap, 2), 22);                      // after the rollback: commits
        })));
        scenarios.add(Scenario.of("large-block", HeapScenarios::twoNodesAndSlots, heap -> heap.transaction(tx -> {
            long big = tx.allocateArray(heap.types().find("test.Refs").orElseThrow(), 10_000);
            tx.putRef(big + 8 * 9_999L, first(heap));
            heap.roots().create("big", big);
        })));
        scenarios.add(Scenario.of("log-growth", HeapScenarios::twoNodesAndSlots, heap -> heap.transaction(tx -> {
            long target = first(heap);
            for (int round = 0; round < 40; round++) { // 320 undo entries of 32 bytes: past a 4 KiB slot
                for (int i = 0; i < 8; i++) {
                    tx.putLong(slot(heap, i), round * 8L + i + 1);
                    tx.putRef(slot(heap, i) + 8, round % 2 == 0 ? target : 0);
                    tx.putLong(slot(heap, i) + 0, round * 8L + i + 2);
                }
                long stop = round; // distinct fields per round: each store is a new undo entry
                tx.putLong(slot(heap, (int) (stop % 8)), stop);
            }
        })));
        scenarios.add(new Scenario() { // the slab's last free returns its chunk to the free pool
            @Override
            public String name() {
                return "free-a-whole-slab";
            }

            @Override
            public void setUp(PersistentHeap heap) {
                twoNodesAndSlots(heap);
                HeapType cell = heap.types().register(CELL);
                heap.transaction(tx -> {
                    long next = 0;
                    long[] cells = new long[CHAIN];
                    for (int i = 0; i < CHAIN; i++) {
                        cells[i] = tx.allocate(cell);
                    }
                    for (int i = CHAIN - 1; i >= 0; i--) { // the chain runs in allocation order
                        tx.putLong(cells[i], i);
                        tx.putRef(cells[i] + 8, next);
                        next = cells[i];
                    }
                    heap.roots().create("chain", next);
                });
            }

            @Override
            public void run(PersistentHeap heap) {
                long chunk = heap.layout().chunkByteSize();
                long first = heap.roots().get("chain").orElseThrow();
                long firstChunk = (first - heap.objectAreaOffset()) / chunk;
                heap.transaction(tx -> {
                    long at = first;
                    while ((at - heap.objectAreaOffset()) / chunk == firstChunk) { // every cell of the first slab
                        long next = heap.getRef(at + 8);
                        tx.free(at);
                        at = next;
                    }
                    heap.roots().set("chain", at);
                });
            }

            @Override
            public HeapOptions options() {
                return Scenario.super.options().withChunkByteSize(16 << 10);
            }
        });
        scenarios.add(Scenario.concurrent("two-threads-disjoint-transactions", HeapScenarios::twoNodesAndSlots,
                heap -> heap.transaction(tx -> {
                    tx.putLong(slot(heap, 0), slot0(heap) - 5);
                    tx.putLong(slot(heap, 1), heap.getLong(slot(heap, 1)) + 5);
                }),
                heap -> heap.transaction(tx -> {
                    long fresh = tx.allocate(node(heap));
                    tx.putLong(fresh, 9);
                    tx.putRef(slot(heap, 5) + 8, fresh);
                    tx.putLong(slot(heap, 6), 66);
                })));
        scenarios.add(Scenario.concurrent("two-threads-allocating-and-freeing", HeapScenarios::twoNodesAndSlots,
                HeapScenarios::unlinkAndFreeSecondNode, HeapScenarios::allocateTwoNodes));
        // The same on a freshly opened heap: the slab holding the nodes is not loaded, so its first
        // load (by either thread) races the other's commit, which clears a bit of the same bitmap.
        scenarios.add(Scenario.concurrentAfterReopen("first-chunk-load-racing-a-free", HeapScenarios::twoNodesAndSlots,
                HeapScenarios::unlinkAndFreeSecondNode, HeapScenarios::allocateTwoNodes));
        return scenarios;
    }

    private static void unlinkAndFreeSecondNode(PersistentHeap heap) {
        heap.transaction(tx -> {
            long b = heap.getRef(first(heap) + 8);
            tx.putRef(first(heap) + 8, 0);
            tx.free(b);
            tx.putLong(slot(heap, 2), 22);
        });
    }

    private static void allocateTwoNodes(PersistentHeap heap) {
        heap.transaction(tx -> {
            for (int i = 3; i < 5; i++) {
                long fresh = tx.allocate(node(heap));
                tx.putLong(fresh, 100 + i);
                tx.putRef(slot(heap, i) + 8, fresh);
            }
        });
    }

    private static long slot0(PersistentHeap heap) {
        return heap.getLong(slot(heap, 0));
    }
}
