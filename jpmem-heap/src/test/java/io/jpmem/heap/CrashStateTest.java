package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.testing.HeapDump;
import io.jpmem.persist.Durability;
import io.jpmem.persist.SimulatedDomain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash states of single transactions, in process, through the SIMULATED domain: at every store and
 * fence of an operation, the images a crash could leave are taken (a process crash keeps every
 * store; a power failure keeps the durable image plus any subset of the unflushed words), recovered
 * by opening them, and compared with the canonical dumps before and after the operation: each must
 * equal one of the two, and the heap check must pass. (The full explorer is a later issue; this
 * pins Foundation II's protocols.)
 */
class CrashStateTest {

    @TempDir
    Path dir;

    static final TypeLayout NODE = TypeLayout.ofRecord("test.Node", 16,
            FieldLayout.of("value", FieldKind.LONG, 0), FieldLayout.of("next", FieldKind.REF, 8));
    static final TypeLayout REFS = TypeLayout.ofArray("test.Refs", FieldKind.REF);

    private final SplittableRandom random = new SplittableRandom(Long.getLong("jpmem.seed", 42));
    private int files;
    private int states;

    private Path newHeap() {
        Path file = dir.resolve("h" + files++ + ".heap");
        PersistentHeap.create(file, HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(512 << 10)
                .withLogSlots(2, 4096)).close();
        return file;
    }

    /**
     * Runs {@code setup} then {@code operation} on a SIMULATED heap, and checks every crash image of
     * the operation.
     */
    private void explore(String name, Consumer<PersistentHeap> setup, Consumer<PersistentHeap> operation) throws IOException {
        Path file = newHeap();
        List<byte[]> images = new ArrayList<>();
        String before;
        String after;
        long leakedBefore;
        long leakedAfter;
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.SIMULATED)) {
            setup.accept(heap);
            before = HeapDump.of(heap);
            leakedBefore = heap.unreachableBlocks();
            SimulatedDomain domain = (SimulatedDomain) heap.domain();
            int[] events = {0};
            domain.onEvent(event -> {
                if (events[0]++ >= 200 && events[0] % 4 != 0) {
                    return; // long operations: every crash point up to 200, then every fourth
                }
                images.add(compress(domain.crashImage(word -> true)));       // process crash: every store
                images.add(compress(domain.crashImage(word -> false)));      // power failure: only what was flushed
                images.add(compress(domain.crashImage(word -> random.nextBoolean()))); // and some evicted words
            });
            operation.accept(heap);
            domain.onEvent(event -> { });
            after = HeapDump.of(heap);
            leakedAfter = heap.unreachableBlocks(); // leaks the operation itself made (e.g. unlinking)
        }
        assertNotEquals(before, after, name + ": the operation changed nothing");
        for (int i = 0; i < images.size(); i++) {
            Path image = dir.resolve(name + "-" + i + ".img");
            Files.write(image, decompress(images.get(i)));
            try (PersistentHeap recovered = PersistentHeap.open(image, Durability.PROCESS)) {
                String dump = HeapDump.of(recovered);
                assertTrue(Set.of(before, after).contains(dump), name + " crash image " + i + " recovered to\n" + dump
                        + "\nbefore:\n" + before + "\nafter:\n" + after);
                assertEquals(List.of(), recovered.check(), name + " crash image " + i);
                assertEquals(dump.equals(before) ? leakedBefore : leakedAfter, recovered.recoveryReport().reclaimedBlocks(),
                        name + " image " + i + ": the GC reclaims exactly the application's leaks, never a crash's");
            }
            Files.delete(image);
            states++;
        }
    }

    static byte[] compress(byte[] image) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED);
        deflater.setInput(image);
        deflater.finish();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] decompress(byte[] compressed) throws IOException {
        try (var in = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    @Test
    void everyCrashStateOfEveryOperationRecoversToBeforeOrAfter() throws IOException {
        long[] a = new long[1];
        Consumer<PersistentHeap> twoAccounts = heap -> {
            HeapType node = heap.types().register(NODE);
            heap.transaction(tx -> {
                a[0] = tx.allocate(node);
                long b = tx.allocate(node);
                tx.putLong(a[0], 100);
                tx.putLong(b, 50);
                tx.putRef(a[0] + 8, b);
                heap.roots().create("accounts", a[0]);
            });
        };
        explore("transfer", twoAccounts, heap -> heap.transaction(tx -> {
            long b = heap.getRef(a[0] + 8);
            tx.putLong(a[0], heap.getLong(a[0]) - 30);
            tx.putLong(b, heap.getLong(b) + 30);
        }));
        explore("allocate-and-link", twoAccounts, heap -> heap.transaction(tx -> {
            long fresh = tx.allocate(heap.types().find("test.Node").orElseThrow());
            tx.putLong(fresh, 7);
            tx.putRef(fresh + 8, heap.getRef(a[0] + 8));
            tx.putRef(a[0] + 8, fresh);
        }));
        explore("snapshot-then-stores", twoAccounts, heap -> heap.transaction(tx -> {
            tx.snapshot(a[0], 16);
            tx.putLong(a[0], 1);
            tx.putRef(a[0] + 8, 0);
        }));
        explore("unlink-and-free", twoAccounts, heap -> heap.transaction(tx -> {
            long b = heap.getRef(a[0] + 8);
            tx.putRef(a[0] + 8, 0);
            tx.free(b);
        }));
        explore("root-create-set-remove", twoAccounts, heap -> heap.transaction(tx -> {
            heap.roots().create("second", heap.getRef(a[0] + 8));
            heap.roots().set("accounts", heap.getRef(a[0] + 8));
            heap.roots().remove("second");
            heap.roots().create("third", a[0]);
        }));
        explore("root-set-outside-a-transaction", twoAccounts, heap -> heap.roots().set("accounts", 0));
        explore("large-block", twoAccounts, heap -> heap.transaction(tx -> {
            long big = tx.allocateArray(heap.types().register(REFS), 10_000);
            tx.putRef(big + 8 * 9_999L, a[0]);
            heap.roots().create("big", big);
        }));
        long[] array = new long[1];
        explore("log-growth", heap -> {
            HeapType refs = heap.types().register(REFS);
            heap.types().register(NODE);
            heap.transaction(tx -> {
                array[0] = tx.allocateArray(refs, 300);
                heap.roots().create("array", array[0]);
            });
        }, heap -> heap.transaction(tx -> {
            for (int i = 0; i < 300; i++) { // 300 undo entries of 32 bytes in a 4 KiB slot
                tx.putRef(array[0] + 8L * i, array[0]);
            }
        }));
        System.out.println("crash-states=" + states + " violations=0");
        assertTrue(states > 1000, "explored " + states);
    }

    @Test
    void aCrashDuringRecoveryIsRecoveredAgain() throws IOException {
        Path file = newHeap();
        long[] a = new long[1];
        byte[] midTransaction;
        String before;
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.SIMULATED)) {
            HeapType node = heap.types().register(NODE);
            heap.transaction(tx -> {
                a[0] = tx.allocate(node);
                tx.putLong(a[0], 1);
                heap.roots().create("a", a[0]);
            });
            before = HeapDump.of(heap);
            SimulatedDomain domain = (SimulatedDomain) heap.domain();
            try (Transaction tx = heap.begin()) {
                for (int i = 0; i < 5; i++) {
                    tx.putLong(a[0], 100 + i);
                    tx.allocate(node);
                }
                tx.putRef(a[0] + 8, a[0]);
                midTransaction = domain.crashImage(word -> true); // crash here, mid-transaction
                tx.commit();
            }
        }
        Path crashed = dir.resolve("crashed.heap");
        Files.write(crashed, midTransaction);
        List<byte[]> duringRecovery = new ArrayList<>();
        // Recover on a SIMULATED domain: every store and fence of recovery is a crash point.
        try (PersistentHeap heap = PersistentHeap.open(crashed, AccessMode.READ_WRITE,
                HeapOptions.defaults().withDurability(Durability.SIMULATED))) {
            assertEquals(1, heap.recoveryReport().rolledBack());
            assertEquals(before, HeapDump.of(heap));
        }
        // Run the same recovery again on a copy, recording a crash image at every store and fence.
        Path copy = dir.resolve("copy.heap");
        Files.write(copy, midTransaction);
        RecoveryProbe.imagesDuringOpen(copy, duringRecovery);
        assertTrue(duringRecovery.size() > 5, "recovery has crash points: " + duringRecovery.size());
        for (int i = 0; i < duringRecovery.size(); i++) {
            Path image = dir.resolve("rec-" + i + ".img");
            Files.write(image, duringRecovery.get(i));
            try (PersistentHeap heap = PersistentHeap.open(image, Durability.PROCESS)) {
                assertEquals(before, HeapDump.of(heap), "crash " + i + " during recovery, then recovery again");
                assertEquals(List.of(), heap.check());
            }
        }
    }
}
