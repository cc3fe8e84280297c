package io.jpmem.heap;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.persist.PersistenceDomain;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
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
public final class Roots {

    private final PersistentHeap heap;
    private final PersistenceDomain domain;
    private final MemorySegment view;
    private final long tableOffset;
    private final int slotCount;
    /** name -> slot index; rebuilt at open from the root table (slot count, not heap size). */
    private final Map<String, Integer> slots;
    /** Slots freed by transactions still in progress: not reusable until they end. */
    private final java.util.Set<Integer> pendingFree = new java.util.HashSet<>();

    Roots(PersistentHeap heap, PersistenceDomain domain, long tableOffset, int slotCount, Map<String, Integer> slots) {
        this.heap = heap;
        this.domain = domain;
        this.view = domain.view();
        this.tableOffset = tableOffset;
        this.slotCount = slotCount;
        this.slots = new HashMap<>(slots);
    }

    /**
     * Creates a root.
     *
     * @param name 1 to 112 bytes of UTF-8
     * @param reference 0 or an allocated block
     * @throws IllegalArgumentException if the name or reference is invalid, or a root of that name exists
     * @throws IllegalStateException if the root table is full, or the heap is read-only or closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    public synchronized void create(String name, long reference) {
        byte[] utf8 = checkName(name);
        heap.checkWritable();
        heap.checkRootTarget(reference);
        if (slots.containsKey(name)) {
            throw new IllegalArgumentException("heap " + heap.path() + " already has a root named \"" + name + "\"");
        }
        int slot = freeSlot();
        long at = slotOffset(slot);
        Transaction tx = heap.currentTransactionOrNull();
        if (tx != null) {
            // A free slot holds nothing to undo: write value and name unlogged, make them durable,
            // and only then publish the slot with a logged store of its state word (rollback
            // restores "free"). No crash image can show the state word without its name and value.
            domain.putLong(at + RS_VALUE, reference);
            domain.fill(at + RS_NAME, ROOT_NAME_MAX_BYTES, (byte) 0);
            domain.putBytes(at + RS_NAME, utf8, 0, utf8.length);
            domain.persist(at, ROOT_SLOT_BYTES);
            tx.putLongAnywhere(at + RS_STATE, rootState(utf8));
            slots.put(name, slot);
            tx.onRollback(() -> {
                synchronized (this) {
                    slots.remove(name, slot);
                }
            });
            return;
        }
        domain.putLong(at + RS_VALUE, reference);
        domain.fill(at + RS_NAME, ROOT_NAME_MAX_BYTES, (byte) 0);
        domain.putBytes(at + RS_NAME, utf8, 0, utf8.length);
        domain.persist(at, ROOT_SLOT_BYTES);
        domain.putLong(at + RS_STATE, rootState(utf8)); // the commit point
        domain.persist(at + RS_STATE, 8);
        slots.put(name, slot);
    }

    /**
     * {@return the reference held by a root, or empty if there is no root of that name}
     *
     * @throws HeapCorruptedException if the root's slot no longer holds what was published
     * @throws IllegalStateException if the heap is closed
     */
    public synchronized OptionalLong get(String name) {
        heap.checkUsable();
        Integer slot = slots.get(name);
        if (slot == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(verifiedValue(name, slot));
    }

    /**
     * Points an existing root at another reference.
     *
     * @throws NoSuchElementException if there is no root of that name
     * @throws IllegalArgumentException if the reference is invalid
     * @throws IllegalStateException if the heap is read-only or closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    public synchronized void set(String name, long reference) {
        heap.checkWritable();
        heap.checkRootTarget(reference);
        Integer slot = slots.get(name);
        if (slot == null) {
            throw new NoSuchElementException("heap " + heap.path() + " has no root named \"" + name + "\"");
        }
        verifiedValue(name, slot);
        long at = slotOffset(slot) + RS_VALUE;
        Transaction tx = heap.currentTransactionOrNull();
        if (tx != null) {
            tx.putLongAnywhere(at, reference);
            return;
        }
        domain.putLong(at, reference); // the commit point
        domain.persist(at, 8);
    }

    /**
     * Removes a root (not what it references).
     *
     * @return whether there was a root of that name
     * @throws IllegalStateException if the heap is read-only or closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    public synchronized boolean remove(String name) {
        heap.checkWritable();
        Integer slot = slots.get(name);
        if (slot == null) {
            return false;
        }
        verifiedValue(name, slot);
        long at = slotOffset(slot);
        Transaction tx = heap.currentTransactionOrNull();
        if (tx != null) {
            tx.putLongAnywhere(at + RS_STATE, 0);
            slots.remove(name);
            pendingFree.add(slot);
            tx.onRollback(() -> {
                synchronized (this) {
                    slots.put(name, slot);
                }
            });
            tx.onEnd(() -> {
                synchronized (this) {
                    pendingFree.remove(slot);
                }
            });
            return true;
        }
        domain.putLong(at + RS_STATE, 0); // the commit point
        domain.persist(at + RS_STATE, 8);
        slots.remove(name);
        return true;
    }

    /** {@return every root and its reference, sorted by name} */
    public synchronized Map<String, Long> snapshot() {
        heap.checkUsable();
        Map<String, Long> result = new TreeMap<>();
        slots.forEach((name, slot) -> result.put(name, verifiedValue(name, slot)));
        return Collections.unmodifiableMap(result);
    }

    /** {@return the number of roots} */
    public synchronized int size() {
        heap.checkUsable();
        return slots.size();
    }

    /** {@return the number of root slots, fixed at create} */
    public int capacity() {
        return slotCount;
    }

    private long verifiedValue(String name, int slot) {
        long at = slotOffset(slot);
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        long state = view.get(LE_LONG, at + RS_STATE);
        long value = view.get(LE_LONG, at + RS_VALUE);
        if (state != rootState(utf8) || !heap.isValidReference(value)) {
            throw heap.fail("root \"" + name + "\" in slot " + slot + " changed under the heap (state "
                    + Long.toHexString(state) + ", value " + Long.toHexString(value) + ")");
        }
        return value;
    }

    private int freeSlot() {
        for (int slot = 0; slot < slotCount; slot++) {
            if (view.get(LE_LONG, slotOffset(slot) + RS_STATE) == 0 && !pendingFree.contains(slot)) {
                return slot;
            }
        }
        throw new IllegalStateException("root table of heap " + heap.path() + " is full (" + slotCount + " roots)");
    }

    private long slotOffset(int slot) {
        return tableOffset + (long) slot * ROOT_SLOT_BYTES;
    }

    private static byte[] checkName(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == 0 || utf8.length > ROOT_NAME_MAX_BYTES) {
            throw new IllegalArgumentException("a root name has 1 to " + ROOT_NAME_MAX_BYTES
                    + " bytes of UTF-8, not " + utf8.length + ": \"" + name + "\"");
        }
        return utf8;
    }

    /** Root table contents read at open, with any problems found. */
    record Loaded(Map<String, Integer> slots, Map<String, Long> values, List<String> problems) {}

    /** Reads and checks every slot of a root table. */
    static Loaded load(MemorySegment view, long tableOffset, int slotCount, java.util.function.LongPredicate validReference) {
        Map<String, Integer> slots = new HashMap<>();
        Map<String, Long> values = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (int slot = 0; slot < slotCount; slot++) {
            long at = tableOffset + (long) slot * ROOT_SLOT_BYTES;
            long state = view.get(LE_LONG, at + RS_STATE);
            if (state == 0) {
                continue;
            }
            if ((state & 0xFF) != ROOT_IN_USE) {
                problems.add("root slot " + slot + ": state word " + Long.toHexString(state) + " is neither free nor in use");
                continue;
            }
            int length = (int) ((state >>> 8) & 0xFF);
            if (length == 0 || length > ROOT_NAME_MAX_BYTES) {
                problems.add("root slot " + slot + ": name length " + length + " out of range");
                continue;
            }
            byte[] utf8 = view.asSlice(at + RS_NAME, length).toArray(ValueLayout.JAVA_BYTE);
            if (rootState(utf8) != state) {
                problems.add("root slot " + slot + ": name checksum mismatch");
                continue;
            }
            String name = new String(utf8, StandardCharsets.UTF_8);
            long value = view.get(LE_LONG, at + RS_VALUE);
            if (!validReference.test(value)) {
                problems.add("root \"" + name + "\" (slot " + slot + "): reference " + Long.toHexString(value)
                        + " is not null and not an aligned offset in the object area");
                continue;
            }
            if (slots.putIfAbsent(name, slot) != null) {
                problems.add("root \"" + name + "\" appears in slots " + slots.get(name) + " and " + slot);
                continue;
            }
            values.put(name, value);
        }
        return new Loaded(slots, values, problems);
    }
}
