package io.jpmem.explorer;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.TypeLayout;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A canonical dump of everything reachable from a heap's roots: roots by name, then every block in
 * the order first reached, with its type and field values; references are written as the target's
 * visit number, so two heaps with the same graph dump equal whatever addresses they use.
 */
public final class HeapDump {

    private HeapDump() {}

    /** {@return the canonical dump of {@code heap}} */
    public static String of(PersistentHeap heap) {
        StringBuilder out = new StringBuilder();
        Map<Long, Integer> ids = new HashMap<>();
        Deque<Long> queue = new ArrayDeque<>();
        List<HeapType> types = heap.types().all();
        heap.roots().snapshot().forEach((name, ref) -> out.append("root ").append(name).append(" -> ")
                .append(id(ref, ids, queue)).append('\n'));
        while (!queue.isEmpty()) {
            long ref = queue.poll();
            HeapType type = types.get(heap.blockTypeId(ref) - 1);
            TypeLayout layout = type.layout();
            long size = heap.blockByteSize(ref);
            out.append('#').append(ids.get(ref)).append(' ').append(layout.className()).append(" (").append(size).append(")");
            if (layout.shape() == TypeLayout.Shape.RECORD) {
                for (FieldLayout field : layout.fields()) {
                    out.append(' ').append(field.name()).append('=');
                    out.append(field.kind() == FieldKind.REF ? id(heap.getRef(ref + field.offset()), ids, queue)
                            : Long.toString(read(heap, ref + field.offset(), field.kind())));
                }
            } else {
                FieldKind kind = layout.elementKind();
                for (long i = 0; i < size / kind.byteSize(); i++) {
                    long at = ref + i * kind.byteSize();
                    out.append(' ').append(kind == FieldKind.REF ? id(heap.getRef(at), ids, queue) : Long.toString(read(heap, at, kind)));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String id(long ref, Map<Long, Integer> ids, Deque<Long> queue) {
        if (ref == 0) {
            return "null";
        }
        Integer id = ids.get(ref);
        if (id == null) {
            id = ids.size();
            ids.put(ref, id);
            queue.add(ref);
        }
        return "#" + id;
    }

    private static long read(PersistentHeap heap, long at, FieldKind kind) {
        return switch (kind) {
            case BOOLEAN, BYTE -> heap.getByte(at);
            case CHAR, SHORT -> heap.getShort(at);
            case INT, FLOAT -> heap.getInt(at);
            case LONG, DOUBLE, REF -> heap.getLong(at);
        };
    }
}
