package io.jpmem.heap.internal.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a log back from real files: what is recovered, what is dropped (a torn tail), and what is
 * refused (foreign, another heap's, newer, damaged in the middle, missing, truncated) with the files
 * left byte for byte as they were.
 */
class WalRecoveryTest {

    static final int HEAP = 1 << 16;

    @TempDir
    Path dir;

    /** Commits {@code groups} single-record groups; record i writes 8 bytes of value i at 8 * i; returns frame positions. */
    List<Long> commitGroups(int groups) throws IOException {
        List<Long> positions = new ArrayList<>();
        try (WalFiles files = RealLog.create(dir)) {
            WriteAheadLog wal = WriteAheadLog.ofNew(files, 1 << 16);
            for (int i = 1; i <= groups; i++) {
                positions.add(WalFormat.BODY_START + wal.receivingBytes());
                byte[] value = new byte[8];
                RealLog.putLongLE(value, 0, i);
                assertEquals(i, wal.commit(List.of(new AfterImage(8L * i, value))));
            }
        }
        return positions;
    }

    byte[] snapshot() throws IOException {
        return concat(Files.readAllBytes(RealLog.first(dir)), Files.readAllBytes(RealLog.second(dir)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    WalOpenException refused(WalOpenException.Reason reason, UUID heapId) throws IOException {
        byte[] before = snapshot();
        WalOpenException e = assertThrows(WalOpenException.class,
                () -> WalRecovery.open(RealLog.first(dir), RealLog.second(dir), heapId, HEAP, 0).files().close());
        assertEquals(reason, e.reason(), e.getMessage());
        assertArrayEquals(before, snapshot(), "a refused log is not modified");
        return e;
    }

    static void patch(Path file, long at, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.write(bytes);
        }
    }

    @Test
    void everyCommittedRecordIsReplayed() throws IOException {
        commitGroups(20);
        RecoveredLog log = RealLog.open(dir, HEAP);
        WalFiles opened = log.files();
        try (opened) {
            assertEquals(0, log.checkpointSeq());
            assertEquals(20, log.lastSeq());
            assertEquals(List.of(), log.notes());
            ByteBuffer heap = ByteBuffer.wrap(RealLog.replay(log, HEAP)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 1; i <= 20; i++) {
                assertEquals(i, heap.getLong(8 * i));
            }
        }
    }

    @Test
    void aTornLastFrameIsDroppedAndTheNextCommitOverwritesIt() throws IOException {
        List<Long> frames = commitGroups(5);
        patch(RealLog.first(dir), frames.get(4) + 60, new byte[] {0x55}); // inside the last record
        RecoveredLog log = RealLog.open(dir, HEAP);
        WalFiles opened = log.files();
        try (opened) {
            assertEquals(4, log.lastSeq());
            assertTrue(log.notes().getFirst().contains("dropped a torn frame"), log.notes().toString());
            WriteAheadLog wal = WriteAheadLog.ofRecovered(log, 1 << 16);
            assertEquals(5, wal.commit(List.of(new AfterImage(0, new byte[] {7}))));
        }
        RecoveredLog again = RealLog.open(dir, HEAP);
        WalFiles reopened = again.files();
        try (reopened) {
            assertEquals(5, again.lastSeq());
            assertEquals(List.of(), again.notes());
            assertEquals(7, RealLog.replay(again, HEAP)[0]);
        }
    }

    @Test
    void aLogCutShortInsideItsLastFrameIsATornTail() throws IOException {
        List<Long> frames = commitGroups(3);
        try (RandomAccessFile f = new RandomAccessFile(RealLog.first(dir).toFile(), "rw")) {
            f.setLength(frames.get(2) + 50);
        }
        RecoveredLog log = RealLog.open(dir, HEAP);
        WalFiles opened = log.files();
        try (opened) {
            assertEquals(2, log.lastSeq());
        }
    }

    @Test
    void damageFollowedByValidFramesIsRefused() throws IOException {
        List<Long> frames = commitGroups(6);
        patch(RealLog.first(dir), frames.get(1) + 60, new byte[] {0x55});
        WalOpenException e = refused(WalOpenException.Reason.CORRUPT, RealLog.HEAP_ID);
        assertTrue(e.getMessage().contains("but a valid frame of the same generation"), e.getMessage());
    }

    @Test
    void aLostFrameHeaderFollowedByValidFramesIsRefused() throws IOException {
        List<Long> frames = commitGroups(4);
        patch(RealLog.first(dir), frames.get(0), new byte[40]);
        refused(WalOpenException.Reason.CORRUPT, RealLog.HEAP_ID);
    }

    @Test
    void aLogOfAnotherHeapIsRefused() throws IOException {
        commitGroups(2);
        WalOpenException e = refused(WalOpenException.Reason.OTHER_HEAP, UUID.randomUUID());
        assertTrue(e.getMessage().contains(RealLog.HEAP_ID.toString()), e.getMessage());
    }

    @Test
    void aForeignFileIsRefused() throws IOException {
        commitGroups(1);
        Files.write(RealLog.second(dir), "this is not a log at all, just some text".repeat(200).getBytes());
        refused(WalOpenException.Reason.NOT_A_LOG, RealLog.HEAP_ID);
    }

    @Test
    void aMissingFileIsRefused() throws IOException {
        commitGroups(1);
        Files.delete(RealLog.second(dir));
        WalOpenException e = assertThrows(WalOpenException.class, () -> RealLog.open(dir, HEAP));
        assertEquals(WalOpenException.Reason.MISSING, e.reason());
        assertTrue(e.getMessage().contains("heap.wal-1"), e.getMessage());
    }

    @Test
    void aNewerFormatIsRefused() throws IOException {
        commitGroups(1);
        byte[] two = {2, 0, 0, 0};
        patch(RealLog.first(dir), WalFormat.HEADER_SLOT_0 + WalFormat.H_VERSION, two);
        refused(WalOpenException.Reason.NEWER_VERSION, RealLog.HEAP_ID);
    }

    @Test
    void twoDamagedHeaderSlotsAreRefusedAndOneIsANote() throws IOException {
        commitGroups(3);
        patch(RealLog.first(dir), WalFormat.HEADER_SLOT_0 + WalFormat.H_GENERATION, new byte[] {9});
        RecoveredLog log = RealLog.open(dir, HEAP);
        WalFiles opened = log.files();
        try (opened) {
            assertEquals(3, log.lastSeq(), "the other slot is used");
            assertTrue(log.notes().getFirst().contains("header slot 0 is torn"), log.notes().toString());
        }
        patch(RealLog.first(dir), WalFormat.HEADER_SLOT_1 + WalFormat.H_GENERATION, new byte[] {9});
        refused(WalOpenException.Reason.CORRUPT, RealLog.HEAP_ID);
    }

    @Test
    void aLogEndingBeforeWhatWasKnownDurableIsRefusedAsTruncated() throws IOException {
        List<Long> frames = commitGroups(4);
        try (RandomAccessFile f = new RandomAccessFile(RealLog.first(dir).toFile(), "rw")) {
            f.setLength(frames.get(2));
        }
        WalOpenException e = assertThrows(WalOpenException.class,
                () -> WalRecovery.open(RealLog.first(dir), RealLog.second(dir), RealLog.HEAP_ID, HEAP, 4));
        assertEquals(WalOpenException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void anAfterImageOutsideTheHeapIsRefused() throws IOException {
        commitGroups(2); // record 2 writes [16, 24)
        byte[] before = snapshot();
        WalOpenException e = assertThrows(WalOpenException.class,
                () -> WalRecovery.open(RealLog.first(dir), RealLog.second(dir), RealLog.HEAP_ID, 16, 0));
        assertEquals(WalOpenException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("outside the heap"), e.getMessage());
        assertArrayEquals(before, snapshot());
    }
}
