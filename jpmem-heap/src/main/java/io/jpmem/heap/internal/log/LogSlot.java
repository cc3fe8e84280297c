package io.jpmem.heap.internal.log;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.HeapLayout;
import io.jpmem.persist.FlushMechanism;
import io.jpmem.persist.PersistenceDomain;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One per-thread transaction log slot: its control word, its entries, and its extensions.
 *
 * <h2>Layout</h2>
 * A slot is a segment of {@code logSlotByteSize} bytes in the log area; when a transaction needs
 * more, the log continues in extension segments (whole chunks of kind {@code CHUNK_LOG}) linked
 * through each segment's {@code LS_NEXT}. Each segment starts
 * with a 64-byte header; the first segment's header holds the control word
 * {@code epoch << 1 | committed}. Entries (24-byte header plus data padded to 8) follow; a
 * {@code LOG_CONTINUE} entry sends the reader to the next segment.
 *
 * <h2>Validity</h2>
 * Every entry's CRC32C covers the slot's current epoch as well as the entry, so an entry left over
 * from an earlier transaction in a reused slot can never validate, and a torn tail fails its
 * checksum. Readers stop at the first entry that does not validate.
 *
 * <h2>Extensions go back</h2>
 * Once the epoch has moved past a transaction, no entry in its extensions validates, so
 * {@link #finish} unlinks them (the first segment's {@code LS_NEXT := 0}, persisted) and hands them
 * back to the {@link LogSpace}, which marks each free. A crash between the two leaves log chunks no
 * slot links; the next open frees every log chunk ({@link #unlinkExtensions}, then the allocator),
 * since no transaction is in progress then. A slot keeps its extensions only while its entries may
 * still be needed: during the transaction, and after a failure that left them valid (for recovery).
 *
 * <p>Not thread-safe: a slot belongs to one transaction, hence one thread, at a time.
 */
public final class LogSlot {

    private final int index;
    private final PersistenceDomain domain;
    private final MemorySegment view;
    private final long base;
    private final long slotBytes;
    private final long chunkBytes;
    private final LogSpace space;
    private final HeapLayout layout;
    /**
     * Whether entries and control words are flushed: not on a write-ahead-logged heap, where the log
     * slots live in memory only (for rollback and savepoints) and recovery replays after-images instead.
     */
    private final boolean durable;
    private long epoch;
    private long segmentStart;
    private long segmentEnd;
    private long writeAt;
    private int entries;
    /** The epoch when the transaction began: {@link #finish} keeps extensions whose entries still validate. */
    private long beginEpoch;
    /** Entries are the commit record now: an extension may come from the log reserve. */
    private boolean commitRecord;
    /** Extensions taken for this transaction's commit record. */
    private int commitRecordChunks;

    public LogSlot(int index, PersistenceDomain domain, HeapLayout layout, LogSpace space) {
        this.index = index;
        this.domain = domain;
        this.view = domain.view();
        this.base = layout.logAreaOffset() + (long) index * layout.logSlotByteSize();
        this.slotBytes = layout.logSlotByteSize();
        this.chunkBytes = layout.chunkByteSize();
        this.space = space;
        this.layout = layout;
        this.durable = domain.mechanism() != FlushMechanism.WAL;
        this.epoch = view.get(LE_LONG, base + LS_CONTROL) >>> 1;
    }

    public int index() {
        return index;
    }

    /** {@return the epoch entries are written under now} */
    public long epoch() {
        return epoch;
    }

    /** {@return entries appended since {@link #begin}, continuation markers not counted} */
    public int entryCount() {
        return entries;
    }

    /** Starts writing at the slot's first entry. The control word must say "not committed". */
    public void begin() {
        if (committedMark()) {
            throw new IllegalStateException("log slot " + index + " still holds a committed transaction that did not"
                    + " finish; only recovery at the next open may reuse it");
        }
        segmentStart = base;
        segmentEnd = base + slotBytes;
        writeAt = base + LOG_HEADER_BYTES;
        entries = 0;
        beginEpoch = epoch;
        commitRecord = false;
        commitRecordChunks = 0;
    }

    /**
     * From here on the transaction appends its commit record (redo entries): an extension it needs
     * may come from the log reserve, and it may wait for one another commit holds.
     */
    public void beginCommitRecord() {
        commitRecord = true;
    }

    /** {@return whether this transaction wrote anything into the slot: entries, or a continuation} */
    public boolean written() {
        return entries > 0 || segmentStart != base;
    }

    /**
     * Ends the slot's use by a transaction: if the epoch has moved past it (committed or rolled
     * back), its extensions are unlinked and returned to the free pool. If its entries still
     * validate (a failure left it unfinished), they stay for recovery.
     */
    public void finish() {
        if (epoch == beginEpoch && written()) {
            return;
        }
        List<Long> chain = unlinkExtensions();
        if (!chain.isEmpty()) {
            space.returnLogChunks(chain, commitRecordChunks);
        }
        commitRecordChunks = 0;
        segmentStart = base;
    }

    /**
     * Unlinks the slot's extensions (durably: the first segment's next link becomes 0) and returns
     * their starts. For {@link #finish}, and for an open, when no transaction is in progress.
     * The chain is followed only through chunk starts of the object area, at most one per chunk.
     *
     * @return the starts of the unlinked extension chunks
     */
    public List<Long> unlinkExtensions() {
        List<Long> chain = new ArrayList<>();
        long next = view.get(LE_LONG, base + LS_NEXT);
        while (next != 0 && chain.size() < layout.chunkCount() && next >= layout.objectAreaOffset()
                && next < layout.objectAreaEnd() && (next - layout.objectAreaOffset()) % chunkBytes == 0
                && !chain.contains(next)) {
            chain.add(next);
            next = view.get(LE_LONG, next + LS_NEXT);
        }
        if (view.get(LE_LONG, base + LS_NEXT) != 0) {
            domain.putLong(base + LS_NEXT, 0);
            domain.persist(base + LS_NEXT, 8);
        }
        return chain;
    }

    /**
     * Appends an entry and flushes it (no fence: the caller drains when order requires).
     *
     * @param data the entry's data, copied into the log (old bytes for undo, a mask or word for redo)
     * @return false if the heap has no chunk left to extend the log
     */
    public boolean append(int kind, long target, MemorySegment data) {
        long dataBytes = data.byteSize();
        long entryBytes = LOG_ENTRY_HEADER_BYTES + alignUp(dataBytes, 8);
        if (writeAt + entryBytes + LOG_ENTRY_HEADER_BYTES > segmentEnd && !nextSegment(entryBytes)) {
            return false;
        }
        write(kind, target, data);
        return true;
    }

    /** {@return the most data bytes one entry can carry (in an extension segment)} */
    public long maxEntryData() {
        return Math.min(slotBytes, chunkBytes) - LOG_HEADER_BYTES - 2L * LOG_ENTRY_HEADER_BYTES;
    }

    private void write(int kind, long target, MemorySegment data) {
        long at = writeAt;
        int length = (int) data.byteSize();
        domain.putInt(at + LE_KIND, kind);
        domain.putInt(at + LE_LENGTH, length);
        domain.putLong(at + LE_TARGET, target);
        if (length > 0) {
            domain.putBytes(at + LOG_ENTRY_HEADER_BYTES, data);
        }
        // The checksum covers the logged copy, not the source: an undo entry's source is live heap
        // memory that another thread may change while it is copied.
        MemorySegment logged = view.asSlice(at + LOG_ENTRY_HEADER_BYTES, length);
        domain.putLong(at + LE_CHECKSUM, Integer.toUnsignedLong(checksum(epoch, kind, length, target, logged)));
        long entryBytes = LOG_ENTRY_HEADER_BYTES + alignUp(length, 8);
        if (durable) {
            domain.flush(at, entryBytes);
        }
        writeAt = at + entryBytes;
        if (kind != LOG_CONTINUE) {
            entries++;
        }
    }

    private boolean nextSegment(long entryBytes) {
        long next = view.get(LE_LONG, segmentStart + LS_NEXT);
        if (next == 0) {
            next = space.takeLogChunk(commitRecord, commitRecord && commitRecordChunks == 0);
            if (next == 0) {
                return false;
            }
            if (commitRecord) {
                commitRecordChunks++;
            }
            domain.putLong(next + LS_NEXT, 0);
            if (durable) {
                domain.persist(next, LOG_HEADER_BYTES);
            }
            domain.putLong(segmentStart + LS_NEXT, next);
            if (durable) {
                domain.persist(segmentStart + LS_NEXT, 8);
            }
        }
        write(LOG_CONTINUE, next, MemorySegment.NULL);
        segmentStart = next;
        segmentEnd = next + chunkBytes;
        writeAt = next + LOG_HEADER_BYTES;
        if (writeAt + entryBytes + LOG_ENTRY_HEADER_BYTES > segmentEnd) {
            throw new IllegalArgumentException("log entry of " + entryBytes + " bytes exceeds a log segment");
        }
        return true;
    }

    /** Stores the control word and persists it: the commit point ({@code committed}) or the end. */
    public void setControl(long newEpoch, boolean committed) {
        domain.putLong(base + LS_CONTROL, newEpoch << 1 | (committed ? 1 : 0));
        if (durable) {
            domain.persist(base + LS_CONTROL, 8);
        }
        epoch = newEpoch;
    }

    /** One entry read back from the log. */
    public record Entry(int kind, long target, long dataOffset, int length) {}

    /** {@return the entries that validate under the current epoch, in the order written} */
    public List<Entry> readEntries() {
        List<Entry> result = new ArrayList<>();
        long segment = base;
        long end = base + slotBytes;
        long at = base + LOG_HEADER_BYTES;
        while (at + LOG_ENTRY_HEADER_BYTES <= end) {
            int kind = view.get(LE_INT, at + LE_KIND);
            int length = view.get(LE_INT, at + LE_LENGTH);
            long target = view.get(LE_LONG, at + LE_TARGET);
            if (kind < LOG_UNDO || kind > LOG_CONTINUE || length < 0
                    || at + LOG_ENTRY_HEADER_BYTES + alignUp(length, 8) > end) {
                break;
            }
            MemorySegment data = view.asSlice(at + LOG_ENTRY_HEADER_BYTES, length);
            long stored = view.get(LE_LONG, at + LE_CHECKSUM);
            if (stored != Integer.toUnsignedLong(checksum(epoch, kind, length, target, data))) {
                break;
            }
            if (kind == LOG_CONTINUE) {
                if (target != view.get(LE_LONG, segment + LS_NEXT) || target == 0) {
                    break;
                }
                segment = target;
                end = target + chunkBytes;
                at = target + LOG_HEADER_BYTES;
                continue;
            }
            result.add(new Entry(kind, target, at + LOG_ENTRY_HEADER_BYTES, length));
            at += LOG_ENTRY_HEADER_BYTES + alignUp(length, 8);
        }
        return result;
    }

    /**
     * {@return why this slot's valid entries cannot be recovered, or null} An entry whose checksum
     * holds can still name a target outside the regions a transaction writes (a bug, or a file made
     * to look valid): undo entries must lie in the root table or the object area, set/clear-bits
     * entries in the object area, put-long entries in the chunk table. Recovery checks every slot
     * first, so a refused file is left unchanged.
     */
    public String targetProblem() {
        long rootStart = layout.rootTableOffset();
        long rootEnd = rootStart + (long) layout.rootSlotCount() * ROOT_SLOT_BYTES;
        long chunkTableStart = layout.chunkTableOffset();
        long chunkTableEnd = chunkTableStart + (long) layout.chunkCount() * CHUNK_ENTRY_BYTES;
        for (Entry entry : readEntries()) {
            long from = entry.target();
            boolean ok = switch (entry.kind()) {
                case LOG_UNDO -> inside(from, entry.length(), rootStart, rootEnd)
                        || inside(from, entry.length(), layout.objectAreaOffset(), layout.objectAreaEnd());
                case LOG_SET_BITS, LOG_CLEAR_BITS -> (from & 7) == 0
                        && inside(from, 8, layout.objectAreaOffset(), layout.objectAreaEnd());
                case LOG_PUT_LONG -> (from & 7) == 0 && inside(from, 8, chunkTableStart, chunkTableEnd);
                default -> true;
            };
            if (!ok) {
                return "log slot " + index + ": entry of kind " + entry.kind() + " targets [" + from + ", "
                        + (from + entry.length()) + "), outside the regions a transaction writes";
            }
        }
        return null;
    }

    private static boolean inside(long from, long length, long start, long end) {
        return from >= start && length >= 0 && from <= end - length;
    }

    /** What recovery did to one slot. */
    public record Recovered(boolean wasActive, boolean committed, int undone, int redone) {}

    /**
     * Finishes whatever the last transaction in this slot left: replays its redo entries if it
     * reached its commit point, else rolls its undo entries back (newest first); then ends the
     * epoch. Idempotent: a crash during recovery is recovered by running it again.
     */
    public Recovered recover() {
        String problem = targetProblem();
        if (problem != null) {
            throw new IllegalStateException(problem); // callers check first: see targetProblem
        }
        List<Entry> found = readEntries();
        boolean committed = committedMark();
        if (found.isEmpty() && !committed) {
            return new Recovered(false, false, 0, 0);
        }
        int undone = 0;
        int redone = 0;
        if (committed) {
            for (Entry entry : found) {
                if (entry.kind() >= LOG_SET_BITS && entry.kind() <= LOG_PUT_LONG) {
                    space.applyRedo(entry.kind(), entry.target(), dataLong(entry));
                    domain.flush(entry.target(), 8);
                    redone++;
                }
            }
        } else {
            for (int i = found.size() - 1; i >= 0; i--) {
                Entry entry = found.get(i);
                if (entry.kind() == LOG_UNDO) {
                    domain.putBytes(entry.target(), data(entry));
                    domain.flush(entry.target(), entry.length());
                    undone++;
                }
            }
        }
        domain.drain();
        setControl(epoch + 1, false);
        return new Recovered(true, committed, undone, redone);
    }

    /** {@return whether the control word says the last transaction committed but did not finish} */
    public boolean committedMark() {
        return (view.get(LE_LONG, base + LS_CONTROL) & 1) != 0;
    }

    /** {@return the data of an entry as a long (redo masks and words)} */
    public long dataLong(Entry entry) {
        return view.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), entry.dataOffset());
    }

    /** {@return the data of an entry} */
    public MemorySegment data(Entry entry) {
        return view.asSlice(entry.dataOffset(), entry.length());
    }

    /** Reused for every entry: a slot is used by one thread at a time, and every logged store checksums. */
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);

    private int checksum(long epoch, int kind, int length, long target, MemorySegment data) {
        crc.reset();
        header.clear();
        header.putLong(epoch).putInt(kind).putInt(length).putLong(target).flip();
        crc.update(header);
        if (data.byteSize() > 0) {
            crc.update(data.asByteBuffer());
        }
        return (int) crc.getValue();
    }
}
