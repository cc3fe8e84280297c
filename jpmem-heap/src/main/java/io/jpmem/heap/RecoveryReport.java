package io.jpmem.heap;

import java.time.Duration;

/**
 * What recovery did when a heap was opened.
 *
 * @param closedCleanly whether the previous run closed the heap cleanly (then nothing needed doing)
 * @param rolledBack transactions found unfinished and rolled back
 * @param replayed transactions found committed but unfinished, whose allocator updates were replayed
 * @param undoEntries undo entries applied
 * @param redoEntries redo entries applied
 * @param gcRan whether the recovery GC ran (after an unclean shutdown, unless turned off)
 * @param liveBlocks blocks the GC found reachable from the roots
 * @param reclaimedBlocks unreachable blocks the GC freed: leaks of the application, never of a crash
 * @param reclaimedBytes the bytes those blocks occupied
 * @param duration how long recovery took
 */
public record RecoveryReport(boolean closedCleanly, int rolledBack, int replayed, int undoEntries, int redoEntries,
                             boolean gcRan, long liveBlocks, long reclaimedBlocks, long reclaimedBytes,
                             Duration duration) {

    /** {@return whether a transaction was in flight when the heap was last left} */
    public boolean hadTransactionsInFlight() {
        return rolledBack + replayed > 0;
    }

    /** {@return one line for logs} */
    public String summary() {
        return "recovery: " + (closedCleanly ? "clean shutdown" : "unclean shutdown") + ", rolled back " + rolledBack
                + ", replayed " + replayed + " (" + undoEntries + " undo, " + redoEntries + " redo entries)"
                + (gcRan ? ", GC kept " + liveBlocks + " blocks and reclaimed " + reclaimedBlocks + " ("
                + PersistentHeap.formatBytes(reclaimedBytes) + ")" : ", GC not run") + " in "
                + duration.toMillis() + " ms";
    }
}
