package io.jpmem.heap.internal.recovery;

import io.jpmem.heap.HeapType;
import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.tx.HeapState;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recovery GC: marks everything the roots reach (through the type table's reference maps, with
 * an explicit mark stack and every reference bounds-checked: {@link HeapWalker}), then frees every
 * published block it did not mark. Because allocation is transactional, what it frees are leaks of
 * the application (blocks unlinked and never freed); crash correctness never depends on it.
 * Only safe while no thread holds a reference it has not linked yet.
 */
public final class RecoveryGc {

    /** What a collection found: live blocks, and the blocks and bytes it freed. */
    public record Result(long live, long reclaimedBlocks, long reclaimedBytes) {
        /** The result of a collection that did not run. */
        public static final Result NOT_RUN = new Result(0, 0, 0);
    }

    private RecoveryGc() {}

    /**
     * Collects now.
     *
     * @throws io.jpmem.heap.HeapCorruptedException (the heap is failed) if a reachable reference is not an allocated block
     */
    public static Result collect(HeapState state, Allocator allocator, List<HeapType> types, Map<String, Long> roots) {
        MemorySegment view = state.view();
        HeapWalker.Marked marked = HeapWalker.mark(view, allocator, types, roots);
        if (!marked.problems().isEmpty()) {
            throw state.fail("the recovery GC found " + String.join("; ", marked.problems()));
        }
        List<Long> garbage = new ArrayList<>();
        allocator.forEachAllocated(ref -> {
            if (!marked.marked().contains(ref)) {
                garbage.add(ref);
            }
        });
        long bytes = 0;
        for (long ref : garbage) {
            bytes += allocator.occupiedBytes(ref);
            allocator.freeNow(ref);
        }
        return new Result(marked.marked().size(), garbage.size(), bytes);
    }

    /** {@return how many published blocks the roots do not reach (the application's leaks), freeing nothing} */
    public static long countUnreachable(HeapState state, Allocator allocator, List<HeapType> types,
                                        Map<String, Long> roots) {
        HeapWalker.Marked marked = HeapWalker.mark(state.view(), allocator, types, roots);
        long[] count = {0};
        allocator.forEachAllocated(ref -> {
            if (!marked.marked().contains(ref)) {
                count[0]++;
            }
        });
        return count[0];
    }
}
