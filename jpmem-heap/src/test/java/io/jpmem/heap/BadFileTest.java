package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOpenException.Reason;
import io.jpmem.heap.internal.format.HeapFormat;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.heap.testing.FilePatch;
import io.jpmem.heap.testing.FileSnapshot;
import io.jpmem.heap.testing.TestHeaps;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every refusal of item 4: the file is refused with an exception naming it and the problem, and is
 * left byte-for-byte unchanged. Each test snapshots the file before, tries every access mode, and
 * compares after.
 */
class BadFileTest {

    @TempDir
    Path dir;

    private Path goodHeap() {
        Path file = dir.resolve("good.heap");
        try (PersistentHeap heap = PersistentHeap.create(file, TestHeaps.small(Durability.PROCESS))) {
            HeapType type = heap.types().register(TypeLayout.ofRecord("test.Value", 8, FieldLayout.of("v", FieldKind.LONG, 0)));
            heap.transaction(tx -> {
                long block = tx.allocate(type);
                tx.putLong(block, 1234);
                heap.roots().create("root", block);
            });
        }
        return file;
    }

    /** Tries to open in every mode; each must be refused for {@code reason}; the file must be unchanged. */
    private void assertRefused(Path file, Reason reason, String messagePart) throws IOException {
        FileSnapshot before = FileSnapshot.of(file);
        for (AccessMode mode : AccessMode.values()) {
            for (Durability durability : new Durability[] {Durability.PROCESS, Durability.POWER}) {
                if (mode != AccessMode.READ_WRITE && durability == Durability.POWER) {
                    continue;
                }
                HeapOpenException e = assertThrows(HeapOpenException.class,
                        () -> PersistentHeap.open(file, mode, durability).close(), mode + " " + durability);
                assertEquals(reason, e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains(file.getFileName().toString()), "names the file: " + e.getMessage());
                assertTrue(e.getMessage().contains(messagePart), e.getMessage());
                assertEquals(file.toAbsolutePath(), e.path());
            }
        }
        assertEquals(before, FileSnapshot.of(file), "a refused file is left unchanged");
    }

    @Test
    void missingFile() {
        HeapOpenException e = assertThrows(HeapOpenException.class, () -> PersistentHeap.open(dir.resolve("none.heap")));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertFalse(Files.exists(dir.resolve("none.heap")), "open never creates");
    }

    @Test
    void emptyFileIsNotAHeap() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.heap"));
        assertRefused(file, Reason.NOT_A_HEAP, "not a jpmem heap");
    }

    @Test
    void textFileIsNotAHeap() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "shopping list\n".repeat(1000));
        assertRefused(file, Reason.NOT_A_HEAP, "not a jpmem heap");
    }

    @Test
    void randomBytesAreNotAHeap() throws IOException {
        byte[] noise = new byte[1 << 20];
        new Random(7).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.bin"), noise);
        assertRefused(file, Reason.NOT_A_HEAP, "not a jpmem heap");
    }

    @Test
    void truncatedHeap() throws IOException {
        Path file = goodHeap();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertRefused(file, Reason.TRUNCATED, "its header says");
    }

    @Test
    void heapTruncatedInsideItsHeaders() throws IOException {
        Path file = goodHeap();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(5000); // copy A whole, copy B cut
        }
        assertRefused(file, Reason.TRUNCATED, "");
    }

    @Test
    void newerFormatVersion() throws IOException {
        Path file = goodHeap();
        FilePatch.setHeaderVersion(file, 0, HeapFormat.FORMAT_VERSION + 1);
        FilePatch.setHeaderVersion(file, 1, HeapFormat.FORMAT_VERSION + 1);
        assertRefused(file, Reason.NEWER_VERSION, "format version 2");
    }

    @Test
    void checksumMismatchInBothHeaderCopies() throws IOException {
        Path file = goodHeap();
        FilePatch.flipBit(file, HeapFormat.HEADER_COPY_OFFSETS[0] + HeapFormat.H_OPEN_COUNT);
        FilePatch.flipBit(file, HeapFormat.HEADER_COPY_OFFSETS[1] + HeapFormat.H_CREATED_MILLIS);
        assertRefused(file, Reason.CHECKSUM_MISMATCH, "CRC32C");
    }

    @Test
    void oneTornHeaderCopyIsRecoveredFromTheOther() throws IOException {
        Path file = goodHeap();
        FilePatch.flipBit(file, HeapFormat.HEADER_COPY_OFFSETS[0] + HeapFormat.H_FLAGS);
        FilePatch.flipBit(file, HeapFormat.HEADER_COPY_OFFSETS[1] + HeapFormat.H_FLAGS);
        // both broken: refused; restore one by re-flipping
        FilePatch.flipBit(file, HeapFormat.HEADER_COPY_OFFSETS[1] + HeapFormat.H_FLAGS);
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            assertEquals(1234, heap.getLong(heap.roots().get("root").orElseThrow()));
            assertTrue(heap.info().notes().stream().anyMatch(n -> n.contains("header copy")), heap.info().notes().toString());
        }
    }

    @Test
    void corruptRootSlotIsRefusedAsCorrupt() throws IOException {
        Path file = goodHeap();
        long rootTable;
        try (PersistentHeap heap = PersistentHeap.openReadOnly(file)) {
            rootTable = heap.layout().rootTableOffset();
        }
        FilePatch.flipBit(file, rootTable + HeapFormat.RS_NAME); // name no longer matches its CRC
        assertRefused(file, Reason.CORRUPT, "root slot 0: name checksum mismatch");
    }

    @Test
    void rootPointingOutsideTheObjectAreaIsRefusedAsCorrupt() throws IOException {
        Path file = goodHeap();
        long rootTable;
        try (PersistentHeap heap = PersistentHeap.openReadOnly(file)) {
            rootTable = heap.layout().rootTableOffset();
        }
        FilePatch.writeLong(file, rootTable + HeapFormat.RS_VALUE, 16);
        assertRefused(file, Reason.CORRUPT, "is not null and not an aligned offset");
    }

    @Test
    void corruptTypeEntryIsRefusedAsCorrupt() throws IOException {
        Path file = dir.resolve("types.heap");
        long typeTable;
        try (PersistentHeap heap = PersistentHeap.create(file, TestHeaps.small(Durability.PROCESS))) {
            heap.types().register(TypeLayout.ofRecord("a.B", 8, FieldLayout.of("x", FieldKind.LONG, 0)));
            typeTable = heap.layout().typeTableOffset();
        }
        FilePatch.flipBit(file, typeTable + HeapFormat.TYPE_TABLE_HEADER_BYTES + HeapFormat.TE_FIXED_BYTES);
        assertRefused(file, Reason.CORRUPT, "checksum mismatch");
    }

    @ParameterizedTest
    @EnumSource(value = AccessMode.class, names = {"READ_WRITE", "READ_ONLY"})
    void heapOpenInAnotherProcessIsRefused(AccessMode holderMode) throws Exception {
        Path file = goodHeap();
        String mode = holderMode == AccessMode.READ_ONLY ? "ro" : "rw";
        try (ChildJvm holder = ChildJvm.start(HeapChildren.class, Map.of(), "hold", mode, file.toString())) {
            assertEquals("open " + holderMode, holder.awaitLine(Duration.ofSeconds(60)), holder.stderr());
            FileSnapshot before = FileSnapshot.of(file);
            HeapOpenException e = assertThrows(HeapOpenException.class, () -> PersistentHeap.open(file, Durability.PROCESS));
            assertEquals(Reason.LOCKED, e.reason());
            assertTrue(e.getMessage().contains("another process"), e.getMessage());
            if (holderMode == AccessMode.READ_ONLY) {
                try (PersistentHeap reader = PersistentHeap.openReadOnly(file)) {
                    assertEquals(1234, reader.getLong(reader.roots().get("root").orElseThrow()), "readers share the file");
                }
            } else {
                assertEquals(Reason.LOCKED, assertThrows(HeapOpenException.class,
                        () -> PersistentHeap.openReadOnly(file)).reason());
            }
            assertEquals(before, FileSnapshot.of(file));
        }
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            assertEquals(holderMode == AccessMode.READ_ONLY, heap.wasClosedCleanly(),
                    "a killed read-write holder leaves the heap not cleanly closed");
        }
    }

    @Test
    void readOnlyOpenNeverWrites() throws IOException {
        Path file = goodHeap();
        FileSnapshot before = FileSnapshot.of(file);
        try (PersistentHeap heap = PersistentHeap.openReadOnly(file)) {
            heap.info();
            heap.check();
        }
        assertEquals(before, FileSnapshot.of(file));
    }

    @Test
    void privateCopyNeverReachesTheFile() throws IOException {
        Path file = goodHeap();
        FileSnapshot before = FileSnapshot.of(file);
        try (PersistentHeap heap = PersistentHeap.open(file, AccessMode.PRIVATE_COPY, Durability.PROCESS)) {
            long block = heap.roots().get("root").orElseThrow();
            heap.putLong(block, 999);
            heap.roots().create("private", 0);
            assertEquals(999, heap.getLong(block));
        }
        assertEquals(before, FileSnapshot.of(file));
        try (PersistentHeap heap = PersistentHeap.openReadOnly(file)) {
            assertEquals(1234, heap.getLong(heap.roots().get("root").orElseThrow()));
            assertTrue(heap.roots().get("private").isEmpty());
        }
    }

    @Test
    void heapStaysFailedOnceCorruptionIsDetected() throws IOException {
        Path file = goodHeap();
        PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS);
        long state = heap.layout().rootTableOffset() + HeapFormat.RS_STATE;
        // Another writer scribbles over the root table (the lock is advisory): the mapping sees it.
        FilePatch.write(file, state, java.nio.ByteBuffer.wrap("garbage!".getBytes(StandardCharsets.US_ASCII)));
        HeapCorruptedException first = assertThrows(HeapCorruptedException.class, () -> heap.roots().get("root"));
        assertTrue(first.getMessage().contains("root \"root\""), first.getMessage());
        for (Runnable call : new Runnable[] {
                () -> heap.getLong(heap.objectAreaOffset()), () -> heap.putLong(heap.objectAreaOffset(), 1),
                heap::info, () -> heap.roots(), () -> heap.persist(heap.objectAreaOffset(), 8)}) {
            HeapCorruptedException later = assertThrows(HeapCorruptedException.class, call::run);
            assertEquals(first.getMessage(), later.getMessage());
            assertSame(first, later.getCause());
        }
        heap.close();
        // close did not mark it clean, and the damage is still there: refused as corrupt, unchanged
        FileSnapshot damaged = FileSnapshot.of(file);
        HeapOpenException e = assertThrows(HeapOpenException.class, () -> PersistentHeap.open(file, Durability.PROCESS));
        assertEquals(Reason.CORRUPT, e.reason());
        assertEquals(damaged, FileSnapshot.of(file));
        try (PersistentHeap reader = PersistentHeap.openReadOnly(file)) {
            assertTrue(reader.info().notes().stream().anyMatch(n -> n.contains("not recovered")), reader.info().notes().toString());
        }
    }
}
