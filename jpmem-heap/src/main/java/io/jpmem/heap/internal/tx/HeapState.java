package io.jpmem.heap.internal.tx;

import io.jpmem.heap.AccessMode;
import io.jpmem.heap.HeapCorruptedException;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.PersistenceDomain;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * What every layer of one open heap checks before it touches the mapping: whether the heap is still
 * usable (open, not failed), writable, and whether an offset lies inside the object area.
 *
 * <p>Failure is sticky: the first {@link #fail} wins, and every later check throws a
 * {@link HeapCorruptedException} carrying the first message. Closing is the other terminal state.
 * Thread-safe: the state word is volatile and only ever moves from usable to closed or failed.
 */
public final class HeapState {

    private static final System.Logger LOG = System.getLogger("io.jpmem.heap");

    /** {@link #problem} when closed. */
    private static final Object CLOSED = new Object();

    private final PersistentHeap owner;
    private final Path path;
    private final AccessMode accessMode;
    private final PersistenceDomain domain;
    private final MemorySegment view;
    private final long objectStart;
    private final long objectEnd;
    private final boolean writable;
    /** null while usable; {@link #CLOSED}, or the first {@link HeapCorruptedException}. */
    private volatile Object problem;

    /**
     * @param owner the heap these checks belong to (what {@link io.jpmem.heap.Transaction#heap()} returns)
     * @param objectStart first offset of the object area
     * @param objectEnd end (exclusive) of the object area
     */
    public HeapState(PersistentHeap owner, Path path, AccessMode accessMode, PersistenceDomain domain,
                     long objectStart, long objectEnd) {
        this.owner = owner;
        this.path = path;
        this.accessMode = accessMode;
        this.domain = domain;
        this.view = domain.view();
        this.objectStart = objectStart;
        this.objectEnd = objectEnd;
        this.writable = accessMode != AccessMode.READ_ONLY;
    }

    /** {@return the heap these checks guard} */
    public PersistentHeap owner() {
        return owner;
    }

    /** {@return the heap file's absolute path, for messages} */
    public Path path() {
        return path;
    }

    /** {@return how the heap is open} */
    public AccessMode accessMode() {
        return accessMode;
    }

    /** {@return the persistence domain every store passes through} */
    public PersistenceDomain domain() {
        return domain;
    }

    /** {@return the whole mapping} */
    public MemorySegment view() {
        return view;
    }

    /** {@return whether the heap may be written} */
    public boolean writable() {
        return writable;
    }

    /** {@return the first offset of the object area} */
    public long objectStart() {
        return objectStart;
    }

    /** {@return the end (exclusive) of the object area} */
    public long objectEnd() {
        return objectEnd;
    }

    /** {@return whether the heap is neither closed nor failed} */
    public boolean usable() {
        return problem == null;
    }

    /** {@return whether close has ended this heap} */
    public boolean closed() {
        return problem == CLOSED;
    }

    /** {@return whether {@code reference} may be stored: 0, or an 8-aligned offset inside the object area} */
    public boolean isValidReference(long reference) {
        return reference == 0 || (reference >= objectStart && reference < objectEnd && (reference & 7) == 0);
    }

    /** Checks a typed access of {@code byteSize} (1, 2, 4 or 8) bytes: usable, in bounds, aligned. Returns the offset. */
    public long checkAccess(long offset, int byteSize) {
        checkRange(offset, byteSize);
        if ((offset & (byteSize - 1)) != 0) {
            throw new IllegalArgumentException("offset " + offset + " is not aligned to " + byteSize + " bytes");
        }
        return offset;
    }

    /** Checks a byte range: usable and inside the object area. Returns the offset. */
    public long checkRange(long offset, long byteSize) {
        if (problem != null) {
            throwProblem();
        }
        if (offset < objectStart || byteSize < 0 || offset > objectEnd - byteSize) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + byteSize
                    + ") is outside the object area [" + objectStart + ", " + objectEnd + ") of heap " + path);
        }
        return offset;
    }

    /** Checks a typed store: as {@link #checkAccess}, and writable. Returns the offset. */
    public long checkStore(long offset, int byteSize) {
        checkAccess(offset, byteSize);
        if (!writable) {
            throw readOnly();
        }
        return offset;
    }

    /** Checks a ranged store: as {@link #checkRange}, and writable. Returns the offset. */
    public long checkRangeStore(long offset, long byteSize) {
        checkRange(offset, byteSize);
        if (!writable) {
            throw readOnly();
        }
        return offset;
    }

    /** @throws IllegalArgumentException unless {@code reference} is null or an aligned offset in the object area */
    public void checkReference(long reference) {
        if (!isValidReference(reference)) {
            throw new IllegalArgumentException("reference " + reference + " is neither null (0) nor an 8-byte aligned"
                    + " offset in the object area [" + objectStart + ", " + objectEnd + ") of heap " + path);
        }
    }

    /**
     * @throws IllegalStateException if closed
     * @throws HeapCorruptedException if failed
     */
    public void checkUsable() {
        if (problem != null) {
            throwProblem();
        }
    }

    /** As {@link #checkUsable}, and @throws IllegalStateException if the heap is open read-only */
    public void checkWritable() {
        checkUsable();
        if (!writable) {
            throw readOnly();
        }
    }

    private IllegalStateException readOnly() {
        return new IllegalStateException("heap " + path + " is open " + accessMode + "; it cannot be written");
    }

    private void throwProblem() {
        Object state = problem;
        if (state == CLOSED) {
            throw new IllegalStateException("heap " + path + " is closed");
        }
        if (state instanceof HeapCorruptedException first) {
            throw new HeapCorruptedException(first);
        }
    }

    /** {@return whether the heap has failed (found itself corrupt)} */
    public boolean failed() {
        return problem instanceof HeapCorruptedException;
    }

    /** Marks the heap failed (once; the first failure wins) and returns the exception to throw. */
    public synchronized HeapCorruptedException fail(String detail) {
        if (problem instanceof HeapCorruptedException first) {
            return new HeapCorruptedException(first);
        }
        HeapCorruptedException failure = new HeapCorruptedException(path, detail);
        problem = failure;
        LOG.log(System.Logger.Level.ERROR, failure.getMessage());
        return failure;
    }

    /** Marks the heap closed: every later check throws {@link IllegalStateException}. */
    public synchronized void markClosed() {
        problem = CLOSED;
    }
}
