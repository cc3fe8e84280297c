package io.jpmem.heap.internal.tx;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.HeapType;
import io.jpmem.heap.SchemaMismatchException;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.TypeTable;
import io.jpmem.heap.internal.format.TypeEntryCodec;
import io.jpmem.persist.PersistenceDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The implementation of {@link io.jpmem.heap.TypeTable}. */
public final class TypeRegistry implements TypeTable {

    private final HeapState heap;
    private final PersistenceDomain domain;
    private final long tableOffset;
    private final long capacity;
    private final Map<String, HeapType> byName = new HashMap<>();
    private volatile List<HeapType> byId;
    private long usedBytes;

    /** @param types the types recorded in the table, by id; @param usedBytes the table's used-bytes word */
    public TypeRegistry(HeapState heap, long tableOffset, long tableByteSize, List<HeapType> types, long usedBytes) {
        this.heap = heap;
        this.domain = heap.domain();
        this.tableOffset = tableOffset;
        this.capacity = tableByteSize - TYPE_TABLE_HEADER_BYTES;
        this.byId = List.copyOf(types);
        for (HeapType type : types) {
            byName.put(type.layout().className(), type);
        }
        this.usedBytes = usedBytes;
    }

    @Override
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

    @Override
    public synchronized Optional<HeapType> find(String className) {
        heap.checkUsable();
        return Optional.ofNullable(byName.get(className));
    }

    @Override
    public HeapType get(int typeId) {
        heap.checkUsable();
        List<HeapType> types = byId;
        if (typeId < 1 || typeId > types.size()) {
            throw new IllegalArgumentException("heap " + heap.path() + " has no type " + typeId + " (it has "
                    + types.size() + ")");
        }
        return types.get(typeId - 1);
    }

    @Override
    public List<HeapType> all() {
        heap.checkUsable();
        return byId;
    }
}
