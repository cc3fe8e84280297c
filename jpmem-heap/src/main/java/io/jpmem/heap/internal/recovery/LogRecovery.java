package io.jpmem.heap.internal.recovery;

import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.HeapOpenException.Reason;
import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.alloc.ChunkReserver;
import io.jpmem.heap.internal.log.LogSlot;
import io.jpmem.heap.internal.tx.HeapState;
import io.jpmem.heap.internal.tx.RootTable;
import io.jpmem.persist.PersistenceDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Log recovery at open: finish or roll back what each log slot left, then judge the roots and the
 * chunk table as recovery left them. The result is what the open heap is built from; nothing of it
 * changes afterwards.
 *
 * <p>Order (docs/ARCHITECTURE.md, recovery steps): every slot is recovered (a committed slot's redo
 * entries are replayed, an uncommitted slot's undo entries are rolled back newest first, then its
 * epoch moves on), then, only if some slot was active, the allocator's words are read again (the
 * allocator read before recovery stands otherwise), then roots and chunk table are checked; last,
 * every slot's log extensions are unlinked and every log chunk is freed (none is needed between
 * transactions).
 * Recovery of a slot is idempotent, so a crash during recovery is recovered by running it again.
 */
public final class LogRecovery {

    /**
     * What log recovery leaves.
     *
     * @param allocator the allocator view of the recovered words
     * @param rootSlots root name to slot index, as recovery left the root table
     * @param slots every log slot, free for transactions (empty for a heap that cannot be written)
     * @param rolledBack slots whose transaction was rolled back
     * @param replayed slots whose committed transaction was finished
     * @param undoEntries undo entries applied
     * @param redoEntries redo entries applied
     */
    public record Result(Allocator allocator, Map<String, Integer> rootSlots, List<LogSlot> slots, int rolledBack,
                         int replayed, int undoEntries, int redoEntries) {}

    private LogRecovery() {}

    /**
     * Runs log recovery if the heap was not closed cleanly and can be written; else builds the slots
     * as they are.
     *
     * @param loaded the allocator view read before recovery
     * @param loadedRoots the root table read before recovery
     * @param reserver for the allocator view rebuilt after recovery
     * @throws HeapOpenException with {@link Reason#CORRUPT} if roots or chunk table are corrupt after recovery
     */
    public static Result run(HeapState state, HeapLayout layout, Allocator loaded, RootTable.Loaded loadedRoots,
                             boolean closedCleanly, ChunkReserver reserver) {
        PersistenceDomain domain = state.domain();
        if (!state.writable()) {
            return new Result(loaded, loadedRoots.slots(), List.of(), 0, 0, 0, 0);
        }
        Allocator allocator = loaded;
        Map<String, Integer> rootSlots = loadedRoots.slots();
        int rolledBack = 0;
        int replayed = 0;
        int undoEntries = 0;
        int redoEntries = 0;
        if (!closedCleanly) {
            List<String> logProblems = new ArrayList<>();
            for (int i = 0; i < layout.logSlotCount(); i++) {
                String problem = new LogSlot(i, domain, layout, allocator).targetProblem();
                if (problem != null) {
                    logProblems.add(problem);
                }
            }
            if (!logProblems.isEmpty()) { // judged before any slot is recovered: the file stays unchanged
                throw new HeapOpenException(state.path(), Reason.CORRUPT, String.join("; ", logProblems), null,
                        logProblems);
            }
            boolean anyActive = false;
            for (int i = 0; i < layout.logSlotCount(); i++) {
                LogSlot.Recovered recovered = new LogSlot(i, domain, layout, allocator).recover();
                if (recovered.wasActive()) {
                    anyActive = true;
                    if (recovered.committed()) {
                        replayed++;
                    } else {
                        rolledBack++;
                    }
                    undoEntries += recovered.undone();
                    redoEntries += recovered.redone();
                }
            }
            if (anyActive) {
                allocator = new Allocator(domain, layout, reserver);
            }
            RootTable.Loaded rootTable = RootTable.load(state.view(), layout.rootTableOffset(), layout.rootSlotCount(),
                    state::isValidReference);
            List<String> problems = new ArrayList<>(rootTable.problems());
            problems.addAll(allocator.chunkTableProblems());
            if (!problems.isEmpty()) {
                throw new HeapOpenException(state.path(), Reason.CORRUPT, String.join("; ", problems), null, problems);
            }
            rootSlots = rootTable.slots();
        }
        List<LogSlot> slots = new ArrayList<>(layout.logSlotCount());
        for (int i = 0; i < layout.logSlotCount(); i++) {
            slots.add(new LogSlot(i, domain, layout, allocator));
        }
        // No transaction is in progress, so no log extension is needed: unlink every slot's, then free
        // every log chunk (also those a crash left unlinked but not yet free).
        for (LogSlot slot : slots) {
            slot.unlinkExtensions();
        }
        allocator.freeUnlinkedLogChunks();
        return new Result(allocator, rootSlots, List.copyOf(slots), rolledBack, replayed, undoEntries, redoEntries);
    }
}
