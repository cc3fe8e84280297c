package io.jpmem.heap.internal.wal;

import static io.jpmem.heap.internal.wal.WalFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Reads a heap's two log files and decides, without writing anything, which records follow the
 * heap file's checkpoint, or refuses the log.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>Each file's header is the valid slot with the higher counter (a torn rewrite of one slot
 *       leaves the other). Refusals: no magic in either slot ({@code NOT_A_LOG}), a newer version
 *       ({@code NEWER_VERSION}), magic but no valid slot ({@code CORRUPT}), another heap's id
 *       ({@code OTHER_HEAP}), equal generations ({@code CORRUPT}).</li>
 *   <li>The file with the higher generation is current. If it is {@code CHECKPOINTED} at C, its
 *       records C+1.. are the log. If it is {@code ARMED}, a checkpoint had not completed: the other
 *       file must be {@code CHECKPOINTED} with the generation before (else {@code CORRUPT}), and the log
 *       is its records C+1..R followed by the current file's, which must start at R+1.</li>
 *   <li>In each file a torn last frame is dropped; damage before the last frame, a gap in the
 *       sequences, or an after-image outside the heap is {@code CORRUPT} ({@link LogFileScan}).</li>
 * </ol>
 */
public final class WalRecovery {

    private WalRecovery() {}

    /**
     * Reads the log of heap {@code heapId} (a heap file of {@code heapByteSize} bytes).
     *
     * @throws WalOpenException if the log is refused; the files are then unchanged
     */
    public static RecoveredLog open(DiskFile first, DiskFile second, UUID heapId, long heapByteSize) {
        return open(first, second, heapId, heapByteSize, new SecureRandom());
    }

    /**
     * Opens the log files at {@code first} and {@code second} and reads them as
     * {@link #open(DiskFile, DiskFile, UUID, long)} does, refusing a log that ends before
     * {@code minimumLastSeq} (the last sequence the engine knows was durable, e.g. recorded in the heap
     * header at a clean close; 0 if it knows none): a log cut at a frame boundary cannot be told from
     * one that was never longer by its own contents.
     *
     * @throws WalOpenException if a file is missing or the log is refused; the files are then unchanged
     */
    public static RecoveredLog open(Path first, Path second, UUID heapId, long heapByteSize, long minimumLastSeq) {
        List<DiskFile> opened = new ArrayList<>();
        try {
            for (Path path : List.of(first, second)) {
                opened.add(ChannelDiskFile.open(path));
            }
            RecoveredLog log = open(opened.get(0), opened.get(1), heapId, heapByteSize);
            if (log.lastSeq() < minimumLastSeq) {
                throw corrupt("the log ends at sequence " + log.lastSeq() + " but sequence " + minimumLastSeq
                        + " was durable: it has been truncated");
            }
            return log;
        } catch (NoSuchFileException e) {
            closeAll(opened);
            throw new WalOpenException(WalOpenException.Reason.MISSING, e.getFile(), e);
        } catch (IOException e) {
            closeAll(opened);
            throw new WalOpenException(WalOpenException.Reason.IO_ERROR, e.toString(), e);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static void closeAll(List<DiskFile> files) {
        for (DiskFile f : files) {
            try {
                f.close();
            } catch (IOException ignored) {
                // refusing already; the first problem is the one reported
            }
        }
    }

    /** As {@link #open(DiskFile, DiskFile, UUID, long)}, with later salts drawn from {@code salts}. */
    public static RecoveredLog open(DiskFile first, DiskFile second, UUID heapId, long heapByteSize,
            RandomGenerator salts) {
        try {
            return read(new DiskFile[] {first, second}, heapId, heapByteSize, salts);
        } catch (IOException e) {
            throw new WalOpenException(WalOpenException.Reason.IO_ERROR, e.toString(), e);
        }
    }

    private static RecoveredLog read(DiskFile[] files, UUID heapId, long heapByteSize, RandomGenerator salts)
            throws IOException {
        List<String> notes = new ArrayList<>();
        WalHeader[] headers = new WalHeader[2];
        int[] slots = new int[2];
        for (int i = 0; i < 2; i++) {
            int slot = chooseSlot(files[i], notes);
            slots[i] = slot;
            headers[i] = readSlot(files[i], slot);
            if (!headers[i].heapId().equals(heapId)) {
                throw new WalOpenException(WalOpenException.Reason.OTHER_HEAP, files[i].name() + " belongs to heap "
                        + headers[i].heapId() + ", not to heap " + heapId, null);
            }
        }
        if (headers[0].generation() == headers[1].generation()) {
            throw corrupt("both log files claim generation " + headers[0].generation());
        }
        int current = headers[0].generation() > headers[1].generation() ? 0 : 1;
        int other = 1 - current;
        WalHeader cur = headers[current];
        List<RecoveredLog.Segment> segments = new ArrayList<>();
        if (!cur.armed()) {
            LogFileScan scan = scan(files[current], cur, cur.checkpointSeq() + 1, heapByteSize, notes);
            segments.add(new RecoveredLog.Segment(files[current], cur, scan.frames()));
            WalFiles state = new WalFiles(heapId, files, headers, slots, current, false, 0, salts);
            return new RecoveredLog(state, segments, cur.checkpointSeq(), scan.lastSeq(), scan.end(), scan.lastHeaderCrc(),
                    notes);
        }
        WalHeader base = headers[other];
        if (base.armed() || base.generation() != cur.generation() - 1) {
            throw corrupt(files[current].name() + " is generation " + cur.generation() + " of a checkpoint under way,"
                    + " but " + files[other].name() + " (generation " + base.generation() + ", "
                    + (base.armed() ? "armed" : "checkpointed") + ") is not the checkpointed generation before it");
        }
        LogFileScan first = scan(files[other], base, base.checkpointSeq() + 1, heapByteSize, notes);
        LogFileScan second = scan(files[current], cur, first.lastSeq() + 1, heapByteSize, notes);
        segments.add(new RecoveredLog.Segment(files[other], base, first.frames()));
        segments.add(new RecoveredLog.Segment(files[current], cur, second.frames()));
        WalFiles state = new WalFiles(heapId, files, headers, slots, current, true, first.lastSeq(), salts);
        return new RecoveredLog(state, segments, base.checkpointSeq(), second.lastSeq(), second.end(),
                second.lastHeaderCrc(), notes);
    }

    private static LogFileScan scan(DiskFile file, WalHeader header, long firstSeq, long heapByteSize,
            List<String> notes) throws IOException {
        LogFileScan scan = LogFileScan.of(file, header, firstSeq, heapByteSize);
        if (scan.damage() != null) {
            throw corrupt(scan.damage());
        }
        if (scan.tornTailNote() != null) {
            notes.add(file.name() + ": dropped " + scan.tornTailNote() + " after sequence " + scan.lastSeq());
        }
        return scan;
    }

    /** {@return the slot (0 or 1) holding the file's current header} */
    private static int chooseSlot(DiskFile file, List<String> notes) throws IOException {
        WalHeader.Slot[] slot = {decodeSlot(file, HEADER_SLOT_0), decodeSlot(file, HEADER_SLOT_1)};
        for (WalHeader.Slot s : slot) {
            if (s instanceof WalHeader.Slot.Newer(int version)) {
                throw new WalOpenException(WalOpenException.Reason.NEWER_VERSION, file.name() + " has format version "
                        + version + "; this jpmem reads version " + VERSION, null);
            }
        }
        boolean valid0 = slot[0] instanceof WalHeader.Slot.Valid;
        boolean valid1 = slot[1] instanceof WalHeader.Slot.Valid;
        if (valid0 && valid1) {
            long c0 = ((WalHeader.Slot.Valid) slot[0]).header().counter();
            long c1 = ((WalHeader.Slot.Valid) slot[1]).header().counter();
            return c1 > c0 ? 1 : 0;
        }
        if (valid0 || valid1) {
            int good = valid0 ? 0 : 1;
            notes.add(file.name() + ": header slot " + (1 - good) + " is torn; slot " + good + " is used");
            return good;
        }
        if (slot[0] instanceof WalHeader.Slot.Foreign && slot[1] instanceof WalHeader.Slot.Foreign) {
            throw new WalOpenException(WalOpenException.Reason.NOT_A_LOG, file.name()
                    + " does not start with the log magic", null);
        }
        throw corrupt(file.name() + ": neither header slot is valid");
    }

    private static WalHeader.Slot decodeSlot(DiskFile file, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        file.read(b, at);
        return WalHeader.decode(b.flip());
    }

    private static WalHeader readSlot(DiskFile file, int slot) throws IOException {
        return ((WalHeader.Slot.Valid) decodeSlot(file, slot == 0 ? HEADER_SLOT_0 : HEADER_SLOT_1)).header();
    }

    private static WalOpenException corrupt(String detail) {
        return new WalOpenException(WalOpenException.Reason.CORRUPT, detail, null);
    }
}
