package io.jpmem.heap.internal.tx;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.Roots;
import io.jpmem.heap.internal.alloc.Allocator;
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

/** The implementation of {@link io.jpmem.heap.Roots}. */
public final class RootTable implements Roots {

    private final HeapState heap;
    private final TransactionManager transactions;
    private final Allocator allocator;
    private final PersistenceDomain domain;
    private final MemorySegment view;
    private final long tableOffset;
    private final int slotCount;
    /** name -> slot index; rebuilt at open from the root table (slot count, not heap size). */
    private final Map<String, Integer> slots;
    /** Slots freed by transactions still in progress: not reusable until they end. */
    private final java.util.Set<Integer> pendingFree = new java.util.HashSet<>();

    /** @param slots name to slot index of the published roots, as {@link #load} found them */
    public RootTable(HeapState heap, TransactionManager transactions, Allocator allocator, long tableOffset,
                     int slotCount, Map<String, Integer> slots) {
        this.heap = heap;
        this.transactions = transactions;
        this.allocator = allocator;
        this.domain = heap.domain();
        this.view = domain.view();
        this.tableOffset = tableOffset;
        this.slotCount = slotCount;
        this.slots = new HashMap<>(slots);
    }

    @Override
    public synchronized void create(String name, long reference) {
        byte[] utf8 = checkName(name);
        heap.checkWritable();
        checkRootTarget(reference);
        if (slots.containsKey(name)) {
            throw new IllegalArgumentException("heap " + heap.path() + " already has a root named \"" + name + "\"");
        }
        int slot = freeSlot();
        long at = slotOffset(slot);
        TransactionImpl tx = transactions.currentOrNull();
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
            tx.onRollback(this, () -> slots.remove(name, slot));
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

    @Override
    public synchronized OptionalLong get(String name) {
        heap.checkUsable();
        Integer slot = slots.get(name);
        if (slot == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(verifiedValue(name, slot));
    }

    @Override
    public synchronized void set(String name, long reference) {
        heap.checkWritable();
        checkRootTarget(reference);
        Integer slot = slots.get(name);
        if (slot == null) {
            throw new NoSuchElementException("heap " + heap.path() + " has no root named \"" + name + "\"");
        }
        verifiedValue(name, slot);
        long at = slotOffset(slot) + RS_VALUE;
        TransactionImpl tx = transactions.currentOrNull();
        if (tx != null) {
            tx.putLongAnywhere(at, reference);
            return;
        }
        domain.putLong(at, reference); // the commit point
        domain.persist(at, 8);
    }

    @Override
    public synchronized boolean remove(String name) {
        heap.checkWritable();
        Integer slot = slots.get(name);
        if (slot == null) {
            return false;
        }
        verifiedValue(name, slot);
        long at = slotOffset(slot);
        TransactionImpl tx = transactions.currentOrNull();
        if (tx != null) {
            tx.putLongAnywhere(at + RS_STATE, 0);
            slots.remove(name);
            pendingFree.add(slot);
            tx.onRollback(this, () -> slots.put(name, slot));
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

    @Override
    public synchronized Map<String, Long> snapshot() {
        heap.checkUsable();
        Map<String, Long> result = new TreeMap<>();
        slots.forEach((name, slot) -> result.put(name, verifiedValue(name, slot)));
        return Collections.unmodifiableMap(result);
    }

    @Override
    public synchronized int size() {
        heap.checkUsable();
        return slots.size();
    }

    @Override
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

    /** Roots must name allocated blocks (or null), so that the recovery GC can trust them. */
    private void checkRootTarget(long reference) {
        heap.checkReference(reference);
        if (reference != 0 && !allocator.isAllocated(reference) && !transactions.allocatedByCurrent(reference)) {
            throw new IllegalArgumentException("reference " + reference + " is not an allocated block of heap "
                    + heap.path() + ": roots hold block references or null");
        }
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
    public record Loaded(Map<String, Integer> slots, Map<String, Long> values, List<String> problems) {}

    /** Reads and checks every slot of a root table. */
    public static Loaded load(MemorySegment view, long tableOffset, int slotCount, java.util.function.LongPredicate validReference) {
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
