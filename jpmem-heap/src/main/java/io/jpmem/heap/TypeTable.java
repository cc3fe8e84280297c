package io.jpmem.heap;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.internal.format.TypeEntryCodec;
import io.jpmem.persist.PersistenceDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A heap's type table: type id to class name and field layout, with a fingerprint per type.
 *
 * <p>Registration is atomic and durable when it returns: the entry is written after the last
 * published one and persisted, then the table's published size, one 8-byte store, is updated and
 * persisted. A crash in between leaves the entry unpublished and invisible. Ids are never reused
 * or removed. Thread-safe.
 */
public final class TypeTable {

    private final PersistentHeap heap;
    private final PersistenceDomain domain;
    private final long tableOffset;
    private final long capacity;
    private final Map<String, HeapType> byName = new HashMap<>();
    private volatile List<HeapType> byId;
    private long usedBytes;

    TypeTable(PersistentHeap heap, PersistenceDomain domain, long tableOffset, long tableByteSize, List<HeapType> types,
              long usedBytes) {
        this.heap = heap;
        this.domain = domain;
        this.tableOffset = tableOffset;
        this.capacity = tableByteSize - TYPE_TABLE_HEADER_BYTES;
        this.byId = List.copyOf(types);
        for (HeapType type : types) {
            byName.put(type.layout().className(), type);
        }
        this.usedBytes = usedBytes;
    }

    /**
     * Registers a type, or finds it if the heap already records it with the same layout.
     *
     * @return the recorded type
     * @throws SchemaMismatchException if the heap records that class name with another layout
     * @throws IllegalStateException if the heap is read-only or closed, or the type table is full
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    public synchronized HeapType register(TypeLayout layout) {
        heap.checkUsable();
        HeapType existing = byName.get(layout.className());
        if (existing != null) {
            if (existing.fingerprint() != layout.fingerprint()) {
                throw new SchemaMismatchException(layout.className(), existing.layout().differenceFrom(layout));
            }
            return existing;
        }
        heap.checkWritable();
        int id = byId.size() + 1;
        byte[] entry = TypeEntryCodec.encode(id, layout);
        if (usedBytes + entry.length > capacity) {
            throw new IllegalStateException("type table of heap " + heap.path() + " is full (" + capacity
                    + " bytes, " + byId.size() + " types); cannot register " + layout.className());
        }
        long entryOffset = tableOffset + TYPE_TABLE_HEADER_BYTES + usedBytes;
        domain.putBytes(entryOffset, entry, 0, entry.length);
        domain.persist(entryOffset, entry.length);
        usedBytes += entry.length;
        domain.putLong(tableOffset + TT_USED_BYTES, usedBytes); // the commit point
        domain.persist(tableOffset + TT_USED_BYTES, 8);
        HeapType type = new HeapType(id, layout, layout.fingerprint());
        byName.put(layout.className(), type);
        List<HeapType> next = new ArrayList<>(byId);
        next.add(type);
        byId = List.copyOf(next);
        return type;
    }

    /** {@return the type recorded under this class name, if any} */
    public synchronized Optional<HeapType> find(String className) {
        heap.checkUsable();
        return Optional.ofNullable(byName.get(className));
    }

    /**
     * {@return the type with this id}
     *
     * @throws IllegalArgumentException if no type has that id
     */
    public HeapType get(int typeId) {
        heap.checkUsable();
        List<HeapType> types = byId;
        if (typeId < 1 || typeId > types.size()) {
            throw new IllegalArgumentException("heap " + heap.path() + " has no type " + typeId + " (it has "
                    + types.size() + ")");
        }
        return types.get(typeId - 1);
    }

    /** {@return every recorded type, by id} */
    public List<HeapType> all() {
        heap.checkUsable();
        return byId;
    }
}
