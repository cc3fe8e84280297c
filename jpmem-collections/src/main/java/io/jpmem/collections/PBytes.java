package io.jpmem.collections;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import io.jpmem.objects.Wrap;
import io.jpmem.objects.spi.PersistentHandle;
import java.util.Objects;

/**
 * A mutable persistent byte array with range operations, for values that change in place (Redis's
 * APPEND, SETRANGE, GETRANGE, STRLEN).
 *
 * <h2>Layout</h2>
 * A 24-byte header {@code {data REF @0, length LONG @8, capacity LONG @16}} and a data block (type
 * {@code io.jpmem.collections.PBytes$Data}, a BYTE array of {@code capacity} bytes, or none while the
 * capacity is 0). Invariant: bytes {@code [length, capacity)} of the data block are zero, so growing
 * the length within the capacity writes nothing but the header.
 *
 * <h2>Atomicity and durability</h2>
 * Every mutating method runs in the thread's transaction on the heap (and becomes durable when it
 * commits) or, outside one, in a transaction of its own (durable when the method returns). Each first
 * snapshots the header (one undo entry) and logs the bytes it overwrites in the data block; bytes
 * written into a data block allocated in the same transaction are not logged. Growth allocates a
 * block of {@code max(needed, 1.5 x capacity, 16)} bytes, copies the content, and frees the old block
 * at commit. Reads take no lock: like {@code byte[]}, a PBytes is not safe for concurrent mutation.
 *
 * <p>{@code equals}/{@code hashCode} are identity (it is mutable); compare contents with
 * {@link #contentEquals}.
 */
public final class PBytes implements PersistentObject {

    private final PersistentHandle handle = new PersistentHandle();

    static final String DATA_TYPE = "io.jpmem.collections.PBytes$Data";
    static final int DATA = 0;
    static final int LENGTH = 8;
    static final int CAPACITY = 16;
    static final int HEADER_BYTES = 24;
    private static final long MIN_CAPACITY = 16;
    /** The largest length: a block's payload size is an unsigned 32-bit field, and reads go to a byte[]. */
    public static final long MAX_LENGTH = Integer.MAX_VALUE - 8;

    /** Header layout: the data block (the GC follows it), the length and the capacity. */
    public static TypeLayout $jpmem$layout() {
        return TypeLayout.ofRecord(PBytes.class.getName(), 24,
                FieldLayout.of("data", FieldKind.REF, 0),
                FieldLayout.of("length", FieldKind.LONG, 8),
                FieldLayout.of("capacity", FieldKind.LONG, 16));
    }

    private HeapType dataType;

    /**
     * Allocates an empty PBytes (a header only) like {@code new} of a {@code @Persistent} class.
     *
     * @throws IllegalStateException if no heap can be chosen (see {@link ObjectSpace})
     */
    public PBytes() {
        handle.allocate(this);
    }

    /**
     * Allocates a PBytes holding a copy of {@code content}, atomically.
     *
     * @throws IllegalStateException if no heap can be chosen (see {@link ObjectSpace})
     */
    public PBytes(byte[] content) {
        handle.allocate(this);
        if (content.length > 0) {
            HeapSpi.inTransaction(heap(), tx -> writeRange(tx, 0, content, 0, content.length));
        }
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PBytes(Wrap wrap, ObjectSpace space, long ref) {
        $jpmemBind(wrap, space, ref);
    }

    @Override
    public long $jpmemRef() {
        return handle.ref();
    }

    @Override
    public ObjectSpace $jpmemSpace() {
        return handle.space();
    }

    @Override
    public void $jpmemBind(Wrap wrap, ObjectSpace space, long ref) {
        handle.bind(wrap, space, ref);
    }

    private PersistentHeap heap() {
        return handle.heap();
    }

    private long header() {
        return handle.ref();
    }

    private ObjectSpace space() {
        return handle.space();
    }

    /** {@return the length in bytes} */
    public long length() {
        return heap().getLong(header() + LENGTH);
    }

    /** {@return the bytes the data block holds (at least the length)} */
    public long capacity() {
        return heap().getLong(header() + CAPACITY);
    }

    /**
     * {@return byte {@code index}}
     *
     * @throws IndexOutOfBoundsException outside [0, length)
     */
    public byte get(long index) {
        PersistentHeap heap = heap();
        Objects.checkIndex(index, heap.getLong(header() + LENGTH));
        return heap.getByte(heap.getRef(header() + DATA) + index);
    }

    /**
     * Copies {@code length} bytes from {@code from} into {@code target} at {@code index}.
     *
     * @throws IndexOutOfBoundsException if either range is out of bounds
     */
    public void get(long from, byte[] target, int index, int length) {
        PersistentHeap heap = heap();
        Objects.checkFromIndexSize(from, length, heap.getLong(header() + LENGTH));
        Objects.checkFromIndexSize(index, length, target.length);
        if (length > 0) {
            heap.getBytes(heap.getRef(header() + DATA) + from, target, index, length);
        }
    }

    /**
     * {@return a copy of bytes {@code [from, to)}} (GETRANGE after clamping its indices).
     *
     * @throws IndexOutOfBoundsException if not {@code 0 <= from <= to <= length}
     */
    public byte[] getRange(long from, long to) {
        Objects.checkFromToIndex(from, to, length());
        byte[] bytes = new byte[(int) (to - from)];
        get(from, bytes, 0, bytes.length);
        return bytes;
    }

    /** {@return a copy of all the bytes} */
    public byte[] toByteArray() {
        return getRange(0, length());
    }

    /** {@return whether the content equals {@code bytes}} */
    public boolean contentEquals(byte[] bytes) {
        PersistentHeap heap = heap();
        long length = heap.getLong(header() + LENGTH);
        if (length != bytes.length) {
            return false;
        }
        long data = heap.getRef(header() + DATA);
        byte[] buffer = new byte[Math.min(256, bytes.length)];
        for (int done = 0; done < bytes.length; ) {
            int n = Math.min(buffer.length, bytes.length - done);
            heap.getBytes(data + done, buffer, 0, n);
            if (!java.util.Arrays.equals(buffer, 0, n, bytes, done, done + n)) {
                return false;
            }
            done += n;
        }
        return true;
    }

    /**
     * Sets byte {@code index}, atomically (logged).
     *
     * @throws IndexOutOfBoundsException outside [0, length)
     */
    public void set(long index, byte value) {
        Objects.checkIndex(index, length());
        HeapSpi.inTransaction(heap(), tx -> tx.putByte(heap().getRef(header() + DATA) + index, value));
    }

    /**
     * Writes {@code length} bytes of {@code source} from {@code index} at {@code offset}, atomically,
     * growing the array when the range ends past its length; a gap between the old length and
     * {@code offset} reads as zeros (Redis's SETRANGE).
     *
     * @return the new length
     * @throws IndexOutOfBoundsException if the source range is outside {@code source}, or {@code offset} is negative
     * @throws IllegalArgumentException if the result would be longer than {@link #MAX_LENGTH}
     * @throws io.jpmem.heap.HeapFullException if growth does not fit (nothing is changed)
     */
    public long setRange(long offset, byte[] source, int index, int length) {
        Objects.checkFromIndexSize(index, length, source.length);
        if (offset < 0) {
            throw new IndexOutOfBoundsException("negative offset " + offset);
        }
        checkLength(offset + length);
        return HeapSpi.inTransactionLong(heap(), tx -> writeRange(tx, offset, source, index, length));
    }

    /**
     * Appends {@code length} bytes of {@code source} from {@code index}, atomically (amortized growth).
     *
     * @return the new length
     * @throws IndexOutOfBoundsException if the range is outside {@code source}
     * @throws IllegalArgumentException if the result would be longer than {@link #MAX_LENGTH}
     * @throws io.jpmem.heap.HeapFullException if growth does not fit (nothing is changed)
     */
    public long append(byte[] source, int index, int length) {
        Objects.checkFromIndexSize(index, length, source.length);
        return HeapSpi.inTransactionLong(heap(), tx -> {
            long at = heap().getLong(header() + LENGTH);
            checkLength(at + length);
            return writeRange(tx, at, source, index, length);
        });
    }

    /** {@return the new length} Appends all of {@code source}; see {@link #append(byte[], int, int)}. */
    public long append(byte[] source) {
        return append(source, 0, source.length);
    }

    /**
     * Sets the length, atomically: truncating zeroes the dropped bytes (logged, to keep the zero tail);
     * extending appends zeros (growing the block if needed). A length of 0 frees the data block; a
     * length of at most a quarter of the capacity moves the content to a block of its own size and frees
     * the old one.
     *
     * @throws IllegalArgumentException if {@code length} is negative or more than {@link #MAX_LENGTH}
     */
    public void setLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        checkLength(length);
        HeapSpi.inTransaction(heap(), tx -> resize(tx, length));
    }

    /**
     * Replaces the whole content with a copy of {@code content}, atomically (Redis's SET on an existing
     * value): in place when it fits and does not leave three quarters of the block empty, else in a new
     * block of its size (the old one freed).
     */
    public void copyFrom(byte[] content) {
        checkLength(content.length);
        HeapSpi.inTransaction(heap(), tx -> {
            if (content.length > heap().getLong(header() + CAPACITY)) {
                reallocate(tx, content.length, 0); // the old content is not worth copying
            }
            resize(tx, content.length);
            if (content.length > 0) {
                tx.putBytes(heap().getRef(header() + DATA), content, 0, content.length);
            }
        });
    }

    /**
     * Frees the data block and the header, in the thread's transaction on the heap or in one of its own.
     * The handle must not be used afterwards, and nothing may still refer to the header.
     */
    public void free() {
        HeapSpi.inTransaction(heap(), tx -> {
            long data = heap().getRef(header() + DATA);
            if (data != 0) {
                tx.free(data);
            }
            space().free(tx, this);
        });
    }

    @Override
    public String toString() {
        return "PBytes[length=" + length() + "]";
    }

    // ---------------------------------------------------------------- inside a transaction

    private static void checkLength(long length) {
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("a PBytes holds at most " + MAX_LENGTH + " bytes, not " + length);
        }
    }

    private long writeRange(Transaction tx, long offset, byte[] source, int index, int length) {
        PersistentHeap heap = heap();
        long end = offset + length;
        long oldLength = heap.getLong(header() + LENGTH);
        if (end > oldLength) {
            setLengthIn(tx, end, oldLength);
        }
        if (length > 0) {
            tx.putBytes(heap.getRef(header() + DATA) + offset, source, index, length);
        }
        return Math.max(end, oldLength);
    }

    /** Any new length: frees the block at 0, shrinks it when the length is at most a quarter of the capacity. */
    private void resize(Transaction tx, long length) {
        PersistentHeap heap = heap();
        long oldLength = heap.getLong(header() + LENGTH);
        long capacity = heap.getLong(header() + CAPACITY);
        if (length < oldLength && (length == 0 || capacity > MIN_CAPACITY && length <= capacity / 4)) {
            reallocate(tx, length, length);
        } else if (length < oldLength) {
            tx.fill(heap.getRef(header() + DATA) + length, oldLength - length, (byte) 0);
            tx.snapshot(header(), HEADER_BYTES);
            tx.putLong(header() + LENGTH, length);
        } else if (length > oldLength) {
            setLengthIn(tx, length, oldLength);
        }
    }

    /** Extends the length to {@code length > oldLength}, growing the block if needed (the tail is zero). */
    private void setLengthIn(Transaction tx, long length, long oldLength) {
        long capacity = heap().getLong(header() + CAPACITY);
        if (length > capacity) {
            long grown = Math.min(MAX_LENGTH, Math.max(length, Math.max(MIN_CAPACITY, capacity + (capacity >> 1))));
            reallocate(tx, grown, oldLength);
        }
        tx.snapshot(header(), HEADER_BYTES);
        tx.putLong(header() + LENGTH, length);
    }

    /** Moves the first {@code keep} bytes to a new block of {@code capacity} bytes and frees the old one. */
    private void reallocate(Transaction tx, long capacity, long keep) {
        PersistentHeap heap = heap();
        long old = heap.getRef(header() + DATA);
        long fresh = capacity == 0 ? 0 : tx.allocateArray(dataType(), capacity);
        if (keep > 0) {
            SequenceSupport.move(heap, tx, old, fresh, keep); // into a new block: not logged
        }
        tx.snapshot(header(), HEADER_BYTES);
        tx.putRef(header() + DATA, fresh);
        tx.putLong(header() + CAPACITY, capacity);
        tx.putLong(header() + LENGTH, Math.min(keep, heap.getLong(header() + LENGTH)));
        if (old != 0) {
            tx.free(old);
        }
    }

    private HeapType dataType() {
        HeapType type = dataType;
        if (type == null) {
            type = SequenceSupport.arrayType(heap(), DATA_TYPE, FieldKind.BYTE);
            dataType = type;
        }
        return type;
    }
}
