package io.jpmem.heap.internal.recovery;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.format.TypeEntryCodec;
import io.jpmem.heap.internal.tx.HeapState;
import io.jpmem.heap.internal.tx.RootTable;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The online check of an open heap's structures against what the heap believes: type table
 * entries, root slots, the chunk table, every allocated block's header, and every reference
 * reachable from the roots. Reads every slab bitmap and walks the graph.
 */
public final class HeapChecker {

    private HeapChecker() {}

    /**
     * {@return the problems found, empty when consistent}
     *
     * @param types the types the heap has registered
     * @param roots the roots the heap has published
     */
    public static List<String> problems(HeapState state, HeapLayout layout, Allocator allocator, List<HeapType> types,
                                        Map<String, Long> roots) {
        MemorySegment view = state.view();
        TypeEntryCodec.Decoded typeTable = TypeEntryCodec.decodeTable(
                view.asSlice(layout.typeTableOffset(), layout.typeTableByteSize()));
        RootTable.Loaded rootTable = RootTable.load(view, layout.rootTableOffset(), layout.rootSlotCount(),
                state::isValidReference);
        List<String> problems = new ArrayList<>(typeTable.problems());
        problems.addAll(rootTable.problems());
        if (typeTable.types().size() != types.size()) {
            problems.add("type table holds " + typeTable.types().size() + " types, " + types.size() + " were registered");
        }
        if (!rootTable.values().equals(roots)) {
            problems.add("root table differs from the roots this heap published");
        }
        problems.addAll(allocator.chunkTableProblems());
        if (problems.isEmpty()) {
            allocator.forEachAllocated(ref -> {
                int typeId = view.get(LE_INT, ref + BH_TYPE_ID);
                if (typeId < 1 || typeId > types.size()) {
                    problems.add("allocated block " + ref + " has unknown type id " + typeId);
                    return;
                }
                String headerProblem = HeapWalker.headerProblem(allocator, ref, types.get(typeId - 1).layout(),
                        Integer.toUnsignedLong(view.get(LE_INT, ref + BH_PAYLOAD_BYTES)));
                if (headerProblem != null) {
                    problems.add(headerProblem);
                }
            });
            problems.addAll(HeapWalker.mark(view, allocator, types, roots).problems());
        }
        return List.copyOf(problems);
    }
}
