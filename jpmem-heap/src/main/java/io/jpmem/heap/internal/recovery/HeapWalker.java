package io.jpmem.heap.internal.recovery;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.util.LongSet;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Walks the object graph from the roots, using only what the heap records: block headers for
 * types and sizes, the type table for where references are. No recursion (an explicit mark stack),
 * and every reference is checked against the allocator before it is followed, so a bad offset
 * becomes a reported problem, never a crash. Used by the recovery GC and by the heap check.
 */
public final class HeapWalker {

    private HeapWalker() {}

    /**
     * The reachable blocks and what was wrong on the way.
     *
     * @param marked every reachable published block
     * @param problems dangling references, unknown types, headers that do not fit their slot
     */
    public record Marked(LongSet marked, List<String> problems) {}

    /** Marks everything reachable from {@code roots}. */
    public static Marked mark(MemorySegment view, Allocator allocator, List<HeapType> types, Map<String, Long> roots) {
        LongSet marked = new LongSet();
        List<String> problems = new ArrayList<>();
        long[] stack = new long[64];
        int top = 0;
        for (Map.Entry<String, Long> root : roots.entrySet()) {
            long ref = root.getValue();
            if (ref == 0) {
                continue;
            }
            if (!allocator.isAllocated(ref)) {
                problems.add("root \"" + root.getKey() + "\" -> " + ref + " is not an allocated block");
            } else if (marked.add(ref)) {
                if (top == stack.length) {
                    stack = Arrays.copyOf(stack, top * 2);
                }
                stack[top++] = ref;
            }
        }
        while (top > 0) {
            long ref = stack[--top];
            int typeId = view.get(LE_INT, ref + BH_TYPE_ID);
            long payload = Integer.toUnsignedLong(view.get(LE_INT, ref + BH_PAYLOAD_BYTES));
            if (typeId < 1 || typeId > types.size()) {
                problems.add("block " + ref + " has unknown type id " + typeId);
                continue;
            }
            TypeLayout layout = types.get(typeId - 1).layout();
            String problem = headerProblem(allocator, ref, layout, payload);
            if (problem != null) {
                problems.add(problem);
                continue;
            }
            long[] offsets = referenceOffsets(layout, payload);
            for (long offset : offsets) {
                long child = view.get(LE_LONG, ref + offset);
                if (child == 0) {
                    continue;
                }
                if (!allocator.isAllocated(child)) {
                    problems.add(layout.className() + " at " + ref + ", reference at +" + offset + " -> " + child
                            + " is not an allocated block");
                } else if (marked.add(child)) {
                    if (top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = child;
                }
            }
        }
        return new Marked(marked, problems);
    }

    /** {@return what is wrong with a block's header for its type, or null} */
    public static String headerProblem(Allocator allocator, long ref, TypeLayout layout, long payload) {
        if (allocator.footprint(payload) != allocator.occupiedBytes(ref)) {
            return "block " + ref + " (" + layout.className() + ") says " + payload + " bytes but occupies "
                    + allocator.occupiedBytes(ref);
        }
        if (layout.shape() == TypeLayout.Shape.RECORD && payload < layout.instanceByteSize()) {
            return "block " + ref + " (" + layout.className() + ") has " + payload + " bytes, its type needs "
                    + layout.instanceByteSize();
        }
        if (layout.shape() == TypeLayout.Shape.ARRAY && payload % layout.elementKind().byteSize() != 0) {
            return "array block " + ref + " (" + layout.className() + ") has " + payload + " bytes, not a multiple of "
                    + layout.elementKind().byteSize();
        }
        return null;
    }

    private static long[] referenceOffsets(TypeLayout layout, long payload) {
        if (layout.shape() == TypeLayout.Shape.RECORD) {
            int[] offsets = layout.referenceOffsets();
            long[] result = new long[offsets.length];
            for (int i = 0; i < offsets.length; i++) {
                result[i] = offsets[i];
            }
            return result;
        }
        if (layout.elementKind() != FieldKind.REF) {
            return new long[0];
        }
        long[] result = new long[(int) (payload / 8)];
        for (int i = 0; i < result.length; i++) {
            result[i] = 8L * i;
        }
        return result;
    }
}
