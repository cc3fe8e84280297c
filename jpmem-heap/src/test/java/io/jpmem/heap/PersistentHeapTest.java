package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.testing.TestHeaps;
import io.jpmem.persist.Durability;
import io.jpmem.persist.FlushMechanism;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Create, write, close, reopen: what a heap keeps, in every durability mode. The heap check runs after each. */
class PersistentHeapTest {

    @TempDir
    Path dir;

    private PersistentHeap open;

    @AfterEach
    void checkAndClose() {
        if (open != null && open.accessMode() != AccessMode.READ_ONLY) {
            try {
                assertEquals(List.of(), open.check(), "heap check after the test");
            } catch (IllegalStateException closed) {
                // the test closed it itself
            }
            open.close();
        }
    }

    private PersistentHeap track(PersistentHeap heap) {
        open = heap;
        return heap;
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void rawValuesOfEveryWidthSurviveReopen(Durability durability) {
        Path file = dir.resolve("raw.heap");
        long base;
        try (PersistentHeap heap = PersistentHeap.create(file, TestHeaps.small(durability))) {
            assertEquals(durability, heap.durability());
            base = heap.objectAreaOffset();
            heap.putByte(base, (byte) -7);
            heap.putBoolean(base + 1, true);
            heap.putShort(base + 2, (short) -12345);
            heap.putChar(base + 4, 'λ');
            heap.putInt(base + 8, 0xCAFEBABE);
            heap.putFloat(base + 12, 3.25f);
            heap.putLong(base + 16, Long.MIN_VALUE + 99);
            heap.putDouble(base + 24, -0.1);
            heap.putRef(base + 32, base + 64);
            heap.putBytes(base + 40, new byte[] {1, 2, 3, 4, 5}, 1, 3);
            heap.fill(base + 48, 8, (byte) 0x5A);
            heap.persist(base, 64);
        }
        try (PersistentHeap heap = track(PersistentHeap.open(file, durability))) {
            assertTrue(heap.wasClosedCleanly());
            assertEquals(-7, heap.getByte(base));
            assertTrue(heap.getBoolean(base + 1));
            assertEquals(-12345, heap.getShort(base + 2));
            assertEquals('λ', heap.getChar(base + 4));
            assertEquals(0xCAFEBABE, heap.getInt(base + 8));
            assertEquals(3.25f, heap.getFloat(base + 12));
            assertEquals(Long.MIN_VALUE + 99, heap.getLong(base + 16));
            assertEquals(-0.1, heap.getDouble(base + 24));
            assertEquals(base + 64, heap.getRef(base + 32));
            byte[] bytes = new byte[3];
            heap.getBytes(base + 40, bytes, 0, 3);
            assertArrayEquals(new byte[] {2, 3, 4}, bytes);
            assertEquals(0x5A5A5A5A5A5A5A5AL, heap.getLong(base + 48));
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void rootsSurviveReopen(Durability durability) {
        Path file = dir.resolve("roots.heap");
        long[] b = new long[4];
        long a;
        try (PersistentHeap heap = PersistentHeap.create(file, TestHeaps.small(durability))) {
            HeapType type = heap.types().register(TypeLayout.ofRecord("T", 8, FieldLayout.of("v", FieldKind.LONG, 0)));
            heap.transaction(tx -> {
                for (int i = 0; i < b.length; i++) {
                    b[i] = tx.allocate(type);
                }
            });
            a = b[0];
            heap.roots().create("alpha", a);
            heap.roots().create("beta", 0);
            heap.roots().create("gamma", b[1]);
            heap.roots().set("beta", b[2]);
            assertTrue(heap.roots().remove("gamma"));
            assertFalse(heap.roots().remove("gamma"));
            heap.roots().create("ünïcødé ☃", b[3]);
        }
        try (PersistentHeap heap = track(PersistentHeap.open(file, durability))) {
            assertEquals(Map.of("alpha", a, "beta", b[2], "ünïcødé ☃", b[3]), heap.roots().snapshot());
            assertEquals(OptionalLong.of(a), heap.roots().get("alpha"));
            assertEquals(OptionalLong.empty(), heap.roots().get("gamma"));
        }
    }

    @Test
    void rootMisuseIsRefusedWithClearErrors() {
        PersistentHeap heap = track(PersistentHeap.create(dir.resolve("r.heap"), TestHeaps.small(Durability.PROCESS)));
        HeapType type = heap.types().register(TypeLayout.ofRecord("T", 8, FieldLayout.of("v", FieldKind.LONG, 0)));
        long a = heap.transactionResult(tx -> tx.allocate(type));
        heap.roots().create("x", a);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> heap.roots().create("raw", heap.objectAreaOffset()))
                .getMessage().contains("not an allocated block"), "roots name blocks, not raw space");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> heap.roots().create("x", a))
                .getMessage().contains("already has a root named \"x\""));
        assertThrows(IllegalArgumentException.class, () -> heap.roots().create("", a));
        assertThrows(IllegalArgumentException.class, () -> heap.roots().create("n".repeat(113), a));
        assertThrows(IllegalArgumentException.class, () -> heap.roots().create("bad", a + 3), "misaligned");
        assertThrows(IllegalArgumentException.class, () -> heap.roots().create("bad", 8), "inside the metadata");
        assertThrows(IllegalArgumentException.class, () -> heap.roots().set("x", heap.objectAreaEnd()));
        assertThrows(NoSuchElementException.class, () -> heap.roots().set("nope", a));
        assertEquals(OptionalLong.of(a), heap.roots().get("x"));
    }

    @Test
    void rootTableFullIsAnIllegalState() {
        PersistentHeap heap = track(PersistentHeap.create(dir.resolve("full.heap"),
                TestHeaps.small(Durability.PROCESS).withRootSlotCount(3)));
        heap.roots().create("a", 0);
        heap.roots().create("b", 0);
        heap.roots().create("c", 0);
        assertThrows(IllegalStateException.class, () -> heap.roots().create("d", 0));
        heap.roots().remove("b");
        heap.roots().create("d", 0); // the freed slot is reused
        assertEquals(3, heap.roots().size());
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void typesSurviveReopenAndDetectSchemaChange(Durability durability) {
        Path file = dir.resolve("types.heap");
        TypeLayout account = TypeLayout.ofRecord("com.example.Account", 24,
                FieldLayout.of("balance", FieldKind.LONG, 0), FieldLayout.of("owner", FieldKind.REF, 8),
                FieldLayout.of("flags", FieldKind.INT, 16), FieldLayout.of("open", FieldKind.BOOLEAN, 20));
        TypeLayout refs = TypeLayout.ofArray("jpmem.RefArray", FieldKind.REF);
        try (PersistentHeap heap = PersistentHeap.create(file, TestHeaps.small(durability))) {
            assertEquals(1, heap.types().register(account).id());
            assertEquals(2, heap.types().register(refs).id());
            assertEquals(1, heap.types().register(account).id(), "same layout: same id");
        }
        try (PersistentHeap heap = track(PersistentHeap.open(file, durability))) {
            HeapType recorded = heap.types().find("com.example.Account").orElseThrow();
            assertEquals(account, recorded.layout());
            assertArrayEquals(new int[] {8}, recorded.layout().referenceOffsets());
            assertEquals(refs, heap.types().get(2).layout());
            TypeLayout changed = TypeLayout.ofRecord("com.example.Account", 24,
                    FieldLayout.of("balance", FieldKind.DOUBLE, 0), FieldLayout.of("owner", FieldKind.REF, 8),
                    FieldLayout.of("flags", FieldKind.INT, 16), FieldLayout.of("open", FieldKind.BOOLEAN, 20));
            SchemaMismatchException e = assertThrows(SchemaMismatchException.class, () -> heap.types().register(changed));
            assertEquals("com.example.Account", e.className());
            assertTrue(e.getMessage().contains("balance was LONG, is now DOUBLE"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> heap.types().get(3));
        }
    }

    @Test
    void typeLayoutsRejectOverlapsAndMisalignment() {
        assertThrows(IllegalArgumentException.class, () -> TypeLayout.ofRecord("A", 8,
                FieldLayout.of("a", FieldKind.LONG, 0), FieldLayout.of("b", FieldKind.INT, 4)));
        assertThrows(IllegalArgumentException.class, () -> FieldLayout.of("a", FieldKind.LONG, 4));
        assertThrows(IllegalArgumentException.class, () -> TypeLayout.ofRecord("A", 4, FieldLayout.of("a", FieldKind.LONG, 0)));
        assertThrows(IllegalArgumentException.class, () -> TypeLayout.ofRecord("A", 8,
                FieldLayout.of("a", FieldKind.INT, 0), FieldLayout.of("a", FieldKind.INT, 4)));
    }

    @Test
    void rawAccessIsBoundedToTheObjectArea() {
        PersistentHeap heap = track(PersistentHeap.create(dir.resolve("b.heap"), TestHeaps.small(Durability.PROCESS)));
        long start = heap.objectAreaOffset();
        long end = heap.objectAreaEnd();
        assertThrows(IndexOutOfBoundsException.class, () -> heap.getLong(0), "header");
        assertThrows(IndexOutOfBoundsException.class, () -> heap.putLong(start - 8, 1), "chunk table");
        assertThrows(IndexOutOfBoundsException.class, () -> heap.getLong(end));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.getInt(end - 2));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.getLong(-8));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.getLong(Long.MAX_VALUE - 3));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.putBytes(end - 2, new byte[4], 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.persist(end - 64, 128));
        assertThrows(IllegalArgumentException.class, () -> heap.getLong(start + 4), "misaligned");
        assertThrows(IllegalArgumentException.class, () -> heap.putInt(start + 2, 1), "misaligned");
        heap.putBytes(start + 3, new byte[] {1, 2, 3, 4, 5, 6}, 0, 6); // byte ranges need no alignment
        byte[] back = new byte[6];
        heap.getBytes(start + 3, back, 0, 6);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, back);
        heap.persist(start + 3, 6);
        heap.putLong(end - 8, 77);
        assertEquals(77, heap.getLong(end - 8));
    }

    @Test
    void readOnlyHeapRefusesEveryWrite() {
        Path file = dir.resolve("ro.heap");
        PersistentHeap.create(file, TestHeaps.small(Durability.PROCESS)).close();
        try (PersistentHeap heap = PersistentHeap.openReadOnly(file)) {
            long a = heap.objectAreaOffset();
            assertEquals(FlushMechanism.PAGE_CACHE, heap.flushMechanism());
            assertThrows(IllegalStateException.class, () -> heap.putLong(a, 1));
            assertThrows(IllegalStateException.class, () -> heap.roots().create("x", 0));
            assertThrows(IllegalStateException.class,
                    () -> heap.types().register(TypeLayout.ofRecord("T", 8, FieldLayout.of("v", FieldKind.LONG, 0))));
            assertEquals(0, heap.getLong(a));
            assertEquals(HeapOpenException.Reason.LOCKED, assertThrows(HeapOpenException.class,
                    () -> PersistentHeap.openReadOnly(file)).reason(), "a file is open at most once per JVM");
            HeapOpenException e = assertThrows(HeapOpenException.class, () -> PersistentHeap.open(file));
            assertEquals(HeapOpenException.Reason.LOCKED, e.reason());
        }
    }

    @Test
    void closedHeapThrowsIllegalStateAndCloseIsIdempotent() {
        PersistentHeap heap = PersistentHeap.create(dir.resolve("c.heap"), TestHeaps.small(Durability.PROCESS));
        long a = heap.objectAreaOffset();
        heap.close();
        heap.close();
        assertTrue(assertThrows(IllegalStateException.class, () -> heap.getLong(a)).getMessage().contains("closed"));
        assertThrows(IllegalStateException.class, heap::roots);
        assertThrows(IllegalStateException.class, () -> heap.persist(a, 8));
    }

    @Test
    void severalHeapsOpenInOneJvmButEachFileOnlyOnce() {
        PersistentHeap one = track(PersistentHeap.create(dir.resolve("one.heap"), TestHeaps.small(Durability.PROCESS)));
        try (PersistentHeap two = PersistentHeap.create(dir.resolve("two.heap"), TestHeaps.small(Durability.POWER))) {
            one.putLong(one.objectAreaOffset(), 1);
            two.putLong(two.objectAreaOffset(), 2);
            assertEquals(1, one.getLong(one.objectAreaOffset()));
            assertEquals(2, two.getLong(two.objectAreaOffset()));
            HeapOpenException e = assertThrows(HeapOpenException.class, () -> PersistentHeap.open(dir.resolve("one.heap")));
            assertEquals(HeapOpenException.Reason.LOCKED, e.reason());
            assertTrue(e.getMessage().contains("one.heap"), e.getMessage());
        }
    }

    @Test
    void createRefusesAnExistingFileAndOpenOrCreateReopens() {
        Path file = dir.resolve("oc.heap");
        try (PersistentHeap heap = PersistentHeap.openOrCreate(file, TestHeaps.small(Durability.PROCESS))) {
            heap.roots().create("made", 0);
        }
        assertEquals(HeapOpenException.Reason.ALREADY_EXISTS, assertThrows(HeapOpenException.class,
                () -> PersistentHeap.create(file, TestHeaps.small(Durability.PROCESS))).reason());
        try (PersistentHeap heap = track(PersistentHeap.openOrCreate(file, TestHeaps.small(Durability.PROCESS)))) {
            assertTrue(heap.roots().get("made").isPresent());
        }
    }

    @Test
    void infoReportsSizesModeAndOpenCount() {
        Path file = dir.resolve("info.heap");
        PersistentHeap.create(file, HeapOptions.defaults().withMaxByteSize(256L << 20)).close();
        PersistentHeap heap = track(PersistentHeap.open(file, Durability.POWER));
        HeapInfo info = heap.info();
        assertEquals(256L << 20, info.layout().maxByteSize());
        assertEquals(2, info.openCount());
        assertTrue(info.closedCleanly());
        assertEquals(Durability.POWER, info.durability());
        assertTrue(info.bytesOnDisk().isPresent(), "stat works on Linux");
        assertTrue(info.bytesOnDisk().getAsLong() < info.layout().maxByteSize() / 4,
                "a new heap's file is sparse: " + info.bytesOnDisk());
        assertTrue(info.bytesOnDisk().getAsLong() >= 2 * 4096, "headers are on disk");
    }

    @Test
    void headerUpdateAlternatesCopiesSoOneValidCopyAlwaysRemains() {
        Path file = dir.resolve("h.heap");
        PersistentHeap.create(file, TestHeaps.small(Durability.PROCESS)).close();
        String before;
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            before = heap.info().headerCopy();
        }
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            HeapInfo info = heap.info();
            assertEquals(before, info.headerCopy(), "open then close: two updates, back on the same copy");
            assertEquals(3, info.openCount());
        }
    }

    @Test
    void optionsThatDoNotFitAreRejectedBeforeAnyFileIsMade() {
        Path file = dir.resolve("tiny.heap");
        assertThrows(IllegalArgumentException.class,
                () -> PersistentHeap.create(file, HeapOptions.defaults().withMaxByteSize(4096)));
        assertThrows(IllegalArgumentException.class,
                () -> PersistentHeap.create(file, TestHeaps.small(Durability.PROCESS).withChunkByteSize(3000)));
        assertFalse(file.toFile().exists());
    }
}
