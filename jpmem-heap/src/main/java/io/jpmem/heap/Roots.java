package io.jpmem.heap;

import io.jpmem.heap.internal.tx.RootTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A heap's named roots: the entry points from which everything else in the heap is found
 * (go-pmem's {@code pmem.New/Get}). Each root holds one reference: 0 (null) or an allocated block
 * (one published, or allocated by the transaction in progress on the calling thread). The
 * recovery GC keeps exactly what the roots reach.
 *
 * <p>Every change is atomic and durable when the call returns:
 * <ul>
 *   <li>{@link #set} is one aligned 8-byte store of the value, then persist;
 *   <li>{@link #create} writes name and value into a free slot and persists them, then publishes the
 *       slot with one 8-byte store of its state word (which carries the name's length and CRC32C),
 *       and persists that;
 *   <li>{@link #remove} clears the state word with one 8-byte store, then persists.
 * </ul>
 * A crash at any point leaves each root either as before or as after the call.
 *
 * <p>Inside a transaction (one in progress on the calling thread), the same stores are logged
 * instead and become durable with the transaction: they commit or roll back with it. A slot
 * removed by a transaction in progress is not reused until that transaction ends.
 *
 * <p>Thread-safe: operations are serialized by this object's lock. Names are 1 to
 * {@value io.jpmem.heap.internal.format.HeapFormat#ROOT_NAME_MAX_BYTES} bytes of UTF-8.
 */
public sealed interface Roots permits RootTable {

    /**
     * Creates a root.
     *
     * @param name 1 to 112 bytes of UTF-8
     * @param reference 0 or an allocated block
     * @throws IllegalArgumentException if the name or reference is invalid, or a root of that name exists
     * @throws IllegalStateException if the root table is full, or the heap is read-only or closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    void create(String name, long reference);

    /**
     * {@return the reference held by a root, or empty if there is no root of that name}
     *
     * @throws HeapCorruptedException if the root's slot no longer holds what was published
     * @throws IllegalStateException if the heap is closed
     */
    OptionalLong get(String name);

    /**
     * Points an existing root at another reference.
     *
     * @throws NoSuchElementException if there is no root of that name
     * @throws IllegalArgumentException if the reference is invalid
     * @throws IllegalStateException if the heap is read-only or closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    void set(String name, long reference);

    /**
     * Removes a root (not what it references).
     *
     * @return whether there was a root of that name
     * @throws IllegalStateException if the heap is read-only or closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    boolean remove(String name);

    /** {@return every root and its reference, sorted by name} */
    Map<String, Long> snapshot();

    /** {@return the number of roots} */
    int size();

    /** {@return the number of root slots, fixed at create} */
    int capacity();
}
