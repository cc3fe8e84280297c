package io.jpmem.heap;

import io.jpmem.persist.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a heap file without ever writing to it: what {@code jpmem check} runs.
 *
 * <p>A cleanly closed heap is opened {@link AccessMode#READ_ONLY}. A heap that was not closed
 * cleanly is opened {@link AccessMode#PRIVATE_COPY}, so that recovery runs on a copy-on-write
 * mapping and the check sees what the next read-write open would produce, while the file stays as
 * it is. Both take a shared lock, so a heap open read-write elsewhere is reported as unusable.
 */
public final class HeapCheck {

    private HeapCheck() {}

    /** The verdict. */
    public enum Status {
        /** Exit code 0: the heap is consistent. */
        CONSISTENT(0),
        /** Exit code 1: the heap opens, but its structures have problems. */
        INCONSISTENT(1),
        /** Exit code 2: the file is not a usable heap (not a heap, truncated, newer, checksum, locked...). */
        UNUSABLE(2);

        private final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }

        /** {@return the exit code of {@code jpmem check} for this status} */
        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * The outcome of a check.
     *
     * @param status the verdict
     * @param problems what is wrong, or why the file is unusable; empty when consistent
     * @param notes what was observed along the way (clean or not, recovery simulated, torn header copy)
     */
    public record Report(Status status, List<String> problems, List<String> notes) {}

    /** {@return the report for the heap file at {@code path}} */
    public static Report run(Path path) {
        List<String> notes = new ArrayList<>();
        PersistentHeap heap;
        try {
            heap = PersistentHeap.openReadOnly(path);
        } catch (HeapOpenException e) {
            return refused(e, notes);
        }
        try {
            if (!heap.wasClosedCleanly()) {
                heap.close();
                notes.add("heap was not closed cleanly: recovery simulated on a private copy-on-write mapping");
                if (!Files.isWritable(path)) {
                    notes.add("no write permission, so no private mapping: checked the file as it is");
                    heap = PersistentHeap.openReadOnly(path);
                } else {
                    heap = PersistentHeap.open(path, AccessMode.PRIVATE_COPY, Durability.PROCESS);
                }
            }
            notes.addAll(heap.info().notes());
            RecoveryReport recovery = heap.recoveryReport();
            if (recovery != null && !recovery.closedCleanly()) {
                notes.add("recovery would do: " + recovery.summary());
            }
            List<String> problems = heap.check();
            if (problems.isEmpty()) {
                long leaked = heap.unreachableBlocks();
                if (leaked > 0) {
                    notes.add("warning: " + leaked + " allocated block(s) unreachable from the roots: leaked by the"
                            + " application; `jpmem gc` frees them");
                }
            }
            return new Report(problems.isEmpty() ? Status.CONSISTENT : Status.INCONSISTENT, problems, notes);
        } catch (HeapOpenException e) {
            return refused(e, notes);
        } catch (HeapCorruptedException e) {
            return new Report(Status.INCONSISTENT, List.of(e.getMessage()), notes);
        } finally {
            heap.close();
        }
    }

    private static Report refused(HeapOpenException e, List<String> notes) {
        if (e.reason() == HeapOpenException.Reason.CORRUPT) {
            return new Report(Status.INCONSISTENT, e.problems(), notes);
        }
        return new Report(Status.UNUSABLE, List.of(e.getMessage()), notes);
    }
}
