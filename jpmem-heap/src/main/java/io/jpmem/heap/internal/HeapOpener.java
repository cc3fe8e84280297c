package io.jpmem.heap.internal;

import io.jpmem.heap.AccessMode;
import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.HeapOpenException.Reason;
import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.LogSync;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.internal.format.FileReservation;
import io.jpmem.heap.internal.format.HeapFiles;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Creating and opening heap files: the one path behind every factory of {@link PersistentHeap}.
 * A file is locked, validated and mapped ({@link HeapFiles}), then the heap is built on it
 * ({@link HeapImpl}); if that fails, the mapping and the lock are released before the exception leaves.
 */
public final class HeapOpener {

    private static final System.Logger LOG = System.getLogger("io.jpmem.heap");

    private HeapOpener() {}

    /** See {@link PersistentHeap#create}. */
    public static PersistentHeap create(Path path, HeapOptions options) {
        Path absolute = path.toAbsolutePath();
        HeapFiles.create(absolute, options);
        return open(absolute, AccessMode.READ_WRITE, options);
    }

    /** See {@link PersistentHeap#openOrCreate}. */
    public static PersistentHeap openOrCreate(Path path, HeapOptions options) {
        Path absolute = path.toAbsolutePath();
        if (!absolute.toFile().exists()) {
            try {
                return create(absolute, options);
            } catch (HeapOpenException e) {
                if (e.reason() != Reason.ALREADY_EXISTS) {
                    throw e; // another process created it first: open theirs
                }
            }
        }
        return open(absolute, AccessMode.READ_WRITE, options);
    }

    /** See {@link PersistentHeap#open(Path, AccessMode, HeapOptions)}. */
    public static PersistentHeap open(Path path, AccessMode accessMode, HeapOptions options) {
        Objects.requireNonNull(accessMode, "accessMode");
        Objects.requireNonNull(options, "options");
        Path absolute = path.toAbsolutePath();
        HeapFiles.Mapped mapped = HeapFiles.open(absolute, accessMode, options.durability());
        if (mapped.walMapping() && !mapped.selection().header().walLogged()
                && !mapped.selection().header().cleanShutdown()) {
            // A heap left unclean by the undo-log protocol is recovered by it first (on its shared
            // mapping, with msync), and closed cleanly; only then does its write-ahead log begin.
            mapped.release();
            HeapFiles.Mapped shared = HeapFiles.open(absolute, accessMode, options.durability(), false);
            FileReservation sharedReservation = FileReservation.open(absolute);
            try {
                new HeapImpl(absolute, accessMode, options, shared, sharedReservation, null).close();
            } catch (RuntimeException | Error e) {
                sharedReservation.close();
                shared.release();
                throw e;
            }
            mapped = HeapFiles.open(absolute, accessMode, options.durability());
        }
        FileReservation reservation = null;
        HeapLog log = null;
        HeapImpl heap;
        try {
            if (accessMode == AccessMode.READ_WRITE) {
                reservation = FileReservation.open(absolute);
            }
            if (mapped.walMapping()) {
                log = new HeapLog(absolute, mapped.channel(), mapped.segment(), mapped.selection().header().layout(),
                        options.durability() == Durability.PROCESS ? LogSync.NO : options.logSync());
            }
            heap = new HeapImpl(absolute, accessMode, options, mapped, reservation, log);
        } catch (RuntimeException | Error e) {
            if (log != null) {
                log.close();
            }
            if (reservation != null) {
                reservation.close();
            }
            mapped.release();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, () -> "jpmem: opened heap " + absolute + " " + accessMode
                + ", durability " + heap.durability() + " (" + heap.flushMechanism().label() + "), max "
                + layoutSummary(heap.layout()) + ", " + (heap.wasClosedCleanly() ? "closed cleanly" : "NOT closed cleanly")
                + " last time, " + heap.roots().size() + " roots, " + heap.types().all().size() + " types"
                + (heap.log() != null ? "; write-ahead log (sync " + heap.log().sync().name().toLowerCase(java.util.Locale.ROOT)
                        + ", " + heap.log().replayedRecords() + " records replayed)" : "")
                + (accessMode != AccessMode.READ_ONLY ? "; " + heap.recoveryReport().summary() : ""));
        return heap;
    }

    private static String layoutSummary(HeapLayout layout) {
        return PersistentHeap.formatBytes(layout.maxByteSize()) + " (" + layout.chunkCount() + " chunks of "
                + PersistentHeap.formatBytes(layout.chunkByteSize()) + ")";
    }
}
