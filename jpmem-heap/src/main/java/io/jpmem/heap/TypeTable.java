package io.jpmem.heap;

import io.jpmem.heap.internal.tx.TypeRegistry;
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
public sealed interface TypeTable permits TypeRegistry {

    /**
     * Registers a type, or finds it if the heap already records it with the same layout.
     *
     * @return the recorded type
     * @throws SchemaMismatchException if the heap records that class name with another layout
     * @throws IllegalStateException if the heap is read-only or closed, or the type table is full
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    HeapType register(TypeLayout layout);

    /** {@return the type recorded under this class name, if any} */
    Optional<HeapType> find(String className);

    /**
     * {@return the type with this id}
     *
     * @throws IllegalArgumentException if no type has that id
     */
    HeapType get(int typeId);

    /** {@return every recorded type, by id} */
    List<HeapType> all();
}
