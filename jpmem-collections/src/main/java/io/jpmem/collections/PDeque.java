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
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * A persistent double-ended queue for Redis lists: O(1) push and pop at both ends, O(1) access by
 * index, range reads, and growth that never copies the elements.
 *
 * <h2>Design: a ring of chunks</h2>
 * The elements live in fixed-size <em>chunks</em> (REF arrays of {@code 2^k} slots, 256 by default:
 * type {@code io.jpmem.collections.PDeque$Chunk}), reached through a <em>directory</em>, a REF array of
 * {@code dirCap} chunk references ({@code dirCap} a power of two; type
 * {@code io.jpmem.collections.PDeque$Directory}). Directory and chunks together form a ring of
 * {@code T = dirCap * 2^k} positions; element {@code i} sits at position {@code (first + i) mod T},
 * in chunk {@code position >> k}, slot {@code position & (2^k - 1)}: two dependent loads, no division.
 * <ul>
 *   <li>A chunk exists exactly while some element's position falls in it: a push into a missing chunk
 *       allocates it, and a pop that empties it frees it (with the slot zeroed in a chunk that stays).
 *       Every slot that holds no element is 0, so the recovery GC, which follows every slot, only sees
 *       live elements.
 *   <li>Only a push into a full ring grows it: the directory doubles (a copy of {@code dirCap}
 *       references, i.e. {@code size / 2^k}, not of the elements), and at most one chunk's worth of
 *       elements moves, when the ring's first chunk also holds its last elements. So no operation copies
 *       in proportion to the size; a million-element list has a 32 KiB directory.
 *   <li>Header, 40 bytes: {@code {directory REF @0, first LONG @8, size LONG @16, dirCap LONG @24,
 *       chunkShift LONG @32 (0 means the default 8)}}.
 * </ul>
 *
 * <h2>Atomicity and durability</h2>
 * Every mutating method, bulk ones included, runs in the thread's transaction on the heap (durable when
 * it commits) or in a transaction of its own (durable when the method returns). A push logs the slot
 * (8 bytes) and the header words it changes (one snapshot entry); a pop the same, or frees the chunk.
 * Values (String, byte[], boxed) are stored as copies owned by the deque and freed when popped, replaced,
 * trimmed or cleared; persistent objects are held by reference and never freed by it.
 *
 * <h2>Contract notes</h2>
 * Like {@link java.util.ArrayDeque}: null elements are refused ({@link NullPointerException}), iterators
 * are fail-fast, {@code equals}/{@code hashCode} are identity, and it is not safe for concurrent
 * mutation. Unlike it, {@code contains} and the occurrence removals match byte arrays by content (a
 * stored {@code byte[]} is a copy, read as a new array each time). Reopening a heap costs nothing per
 * deque: every call reads the header.
 *
 * @param <E> the element type: a persistent class, an interface they implement, or a value class
 */
public final class PDeque<E> extends AbstractCollection<E> implements Deque<E>, PersistentObject {

    static final String DIRECTORY_TYPE = "io.jpmem.collections.PDeque$Directory";
    static final String CHUNK_TYPE = "io.jpmem.collections.PDeque$Chunk";
    static final int DIRECTORY = 0;
    static final int FIRST = 8;
    static final int SIZE = 16;
    static final int DIR_CAP = 24;
    static final int SHIFT = 32;
    static final int HEADER_BYTES = 40;
    /** The default chunk: 256 references (2 KiB). */
    public static final int DEFAULT_CHUNK_SLOTS = 256;
    private static final int DEFAULT_SHIFT = 8;

    /** Header layout: the directory (the GC follows it), first, size, directory capacity, chunk shift. */
    public static TypeLayout $jpmem$layout() {
        return TypeLayout.ofRecord(PDeque.class.getName(), 40,
                FieldLayout.of("directory", FieldKind.REF, 0),
                FieldLayout.of("first", FieldKind.LONG, 8),
                FieldLayout.of("size", FieldKind.LONG, 16),
                FieldLayout.of("dirCap", FieldKind.LONG, 24),
                FieldLayout.of("chunkShift", FieldKind.LONG, 32));
    }

    private final PersistentHandle handle = new PersistentHandle();
    /** The handle's state, copied by {@link #$jpmemBind} for the hot paths (plain fields, set once). */
    private ObjectSpace space;
    private PersistentHeap heap;
    private long ref;
    private HeapType chunkType;
    private HeapType directoryType;
    private int modCount;

    /**
     * Allocates an empty deque (a header only) like {@code new} of a {@code @Persistent} class: in the heap
     * of the thread's transaction, or in the {@linkplain ObjectSpace#setDefault default} heap.
     *
     * @throws IllegalStateException if no heap can be chosen
     */
    public PDeque() {
        handle.allocate(this);
    }

    /**
     * Allocates an empty deque whose chunks hold {@code chunkSlots} elements (small chunks waste less
     * in small deques; large ones make smaller directories).
     *
     * @throws IllegalArgumentException if {@code chunkSlots} is not a power of two in [2, 65536]
     * @throws IllegalStateException if no heap can be chosen
     */
    public PDeque(int chunkSlots) {
        if (chunkSlots < 2 || chunkSlots > 65536 || Integer.bitCount(chunkSlots) != 1) {
            throw new IllegalArgumentException("chunkSlots must be a power of two in [2, 65536], not " + chunkSlots);
        }
        handle.allocate(this);
        if (chunkSlots != DEFAULT_CHUNK_SLOTS) {
            long shift = Integer.numberOfTrailingZeros(chunkSlots);
            Optional<Transaction> tx = heap.currentTransaction();
            if (tx.isPresent()) {
                tx.get().putLong(ref + SHIFT, shift); // a new block: not logged
            } else {
                heap.putLong(ref + SHIFT, shift);     // not linked yet: nothing to log
                heap.persist(ref + SHIFT, 8);
            }
        }
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PDeque(Wrap wrap, ObjectSpace space, long ref) {
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
        this.space = handle.space();
        this.heap = handle.heap();
        this.ref = handle.ref();
    }

    // ---------------------------------------------------------------- positions

    private int shift() {
        long s = heap.getLong(ref + SHIFT);
        return s == 0 ? DEFAULT_SHIFT : (int) s;
    }

    /** {@return the address of the slot of element {@code index}} (index already checked) */
    private long slotOf(long index) {
        PersistentHeap h = heap;
        int shift = shift();
        long mask = (h.getLong(ref + DIR_CAP) << shift) - 1;
        long q = (h.getLong(ref + FIRST) + index) & mask;
        long chunk = h.getRef(h.getRef(ref + DIRECTORY) + 8 * (q >>> shift));
        return chunk + 8 * (q & ((1L << shift) - 1));
    }

    /** Whether chunk {@code c} holds a position of the elements [first, first + size) of a ring of {@code ring}. */
    private static boolean live(long c, int shift, long first, long size, long ring) {
        long d = ((c << shift) - first) & (ring - 1);
        return size > 0 && (d < size || d + (1L << shift) > ring);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public int size() {
        return (int) heap.getLong(ref + SIZE);
    }

    @Override
    public boolean isEmpty() {
        return heap.getLong(ref + SIZE) == 0;
    }

    /**
     * {@return element {@code index}, counted from the first} (LINDEX)
     *
     * @throws IndexOutOfBoundsException outside [0, size)
     */
    @SuppressWarnings("unchecked")
    public E get(long index) {
        Objects.checkIndex(index, heap.getLong(ref + SIZE));
        return (E) space.load(heap.getRef(slotOf(index)));
    }

    /**
     * {@return elements {@code [from, to)} in order} (LRANGE after clamping its indices), read chunk by chunk.
     *
     * @throws IndexOutOfBoundsException if not {@code 0 <= from <= to <= size}
     */
    @SuppressWarnings("unchecked")
    public List<E> range(long from, long to) {
        PersistentHeap h = heap;
        Objects.checkFromToIndex(from, to, h.getLong(ref + SIZE));
        List<E> out = new ArrayList<>((int) (to - from));
        int shift = shift();
        long slotMask = (1L << shift) - 1;
        long mask = (h.getLong(ref + DIR_CAP) << shift) - 1;
        long first = h.getLong(ref + FIRST);
        long directory = h.getRef(ref + DIRECTORY);
        for (long i = from; i < to; ) {
            long q = (first + i) & mask;
            long chunk = h.getRef(directory + 8 * (q >>> shift));
            long n = Math.min(slotMask + 1 - (q & slotMask), to - i);
            for (long s = q & slotMask, end = s + n; s < end; s++) {
                out.add((E) space.load(h.getRef(chunk + 8 * s)));
            }
            i += n;
        }
        return out;
    }

    @Override
    public E peekFirst() {
        return isEmpty() ? null : get(0);
    }

    @Override
    public E peekLast() {
        long size = heap.getLong(ref + SIZE);
        return size == 0 ? null : get(size - 1);
    }

    @Override
    public E getFirst() {
        E e = peekFirst();
        if (e == null) {
            throw new NoSuchElementException("deque is empty");
        }
        return e;
    }

    @Override
    public E getLast() {
        E e = peekLast();
        if (e == null) {
            throw new NoSuchElementException("deque is empty");
        }
        return e;
    }

    @Override
    public E peek() {
        return peekFirst();
    }

    @Override
    public E element() {
        return getFirst();
    }

    @Override
    public Iterator<E> iterator() {
        return new Itr(false);
    }

    @Override
    public Iterator<E> descendingIterator() {
        return new Itr(true);
    }

    // ---------------------------------------------------------------- pushes

    /**
     * Inserts {@code element} at the front, atomically (LPUSH).
     *
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it can be stored neither by reference nor by copy
     */
    @Override
    public void addFirst(E element) {
        checkElement(element);
        HeapSpi.inTransaction(heap, tx -> pushRaw(tx, true, space.store(tx, element, "PDeque element")));
        modCount++;
    }

    /**
     * Inserts {@code element} at the back, atomically (RPUSH).
     *
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it can be stored neither by reference nor by copy
     */
    @Override
    public void addLast(E element) {
        checkElement(element);
        HeapSpi.inTransaction(heap, tx -> pushRaw(tx, false, space.store(tx, element, "PDeque element")));
        modCount++;
    }

    @Override
    public boolean offerFirst(E element) {
        addFirst(element);
        return true;
    }

    @Override
    public boolean offerLast(E element) {
        addLast(element);
        return true;
    }

    @Override
    public boolean add(E element) {
        addLast(element);
        return true;
    }

    @Override
    public boolean offer(E element) {
        addLast(element);
        return true;
    }

    @Override
    public void push(E element) {
        addFirst(element);
    }

    /** Appends every element of {@code elements} at the back in one atomic step. */
    @Override
    public boolean addAll(Collection<? extends E> elements) {
        Object[] values = elements.toArray();
        for (Object value : values) {
            checkElement(value);
        }
        if (values.length == 0) {
            return false;
        }
        HeapSpi.inTransaction(heap, tx -> {
            for (Object value : values) {
                pushRaw(tx, false, space.store(tx, value, "PDeque element"));
            }
        });
        modCount++;
        return true;
    }

    /**
     * Inserts {@code element} so that it becomes element {@code index}, atomically, moving the shorter side
     * by one (LINSERT).
     *
     * @throws IndexOutOfBoundsException outside [0, size]
     * @throws NullPointerException if it is null
     */
    public void insert(long index, E element) {
        Objects.checkIndex(index, heap.getLong(ref + SIZE) + 1);
        checkElement(element);
        HeapSpi.inTransaction(heap, tx -> {
            long size = heap.getLong(ref + SIZE);
            long value = space.store(tx, element, "PDeque element");
            if (index < size / 2) {
                pushRaw(tx, true, 0);                         // elements now at 1..size
                writeRefs(tx, 0, readRefs(1, index));         // [1, index + 1) -> [0, index)
            } else {
                pushRaw(tx, false, 0);
                writeRefs(tx, index + 1, readRefs(index, size - index));
            }
            tx.putRef(slotOf(index), value);
        });
        modCount++;
    }

    // ---------------------------------------------------------------- pops

    /** Removes and returns the first element, atomically, or null if empty (LPOP). */
    @Override
    public E pollFirst() {
        if (isEmpty()) {
            return null;
        }
        E e = HeapSpi.inTransactionGet(heap, tx -> popRaw(tx, true));
        modCount++;
        return e;
    }

    /** Removes and returns the last element, atomically, or null if empty (RPOP). */
    @Override
    public E pollLast() {
        if (isEmpty()) {
            return null;
        }
        E e = HeapSpi.inTransactionGet(heap, tx -> popRaw(tx, false));
        modCount++;
        return e;
    }

    @Override
    public E removeFirst() {
        E e = pollFirst();
        if (e == null) {
            throw new NoSuchElementException("deque is empty");
        }
        return e;
    }

    @Override
    public E removeLast() {
        E e = pollLast();
        if (e == null) {
            throw new NoSuchElementException("deque is empty");
        }
        return e;
    }

    @Override
    public E poll() {
        return pollFirst();
    }

    @Override
    public E remove() {
        return removeFirst();
    }

    @Override
    public E pop() {
        return removeFirst();
    }

    @Override
    public boolean remove(Object o) {
        return removeFirstOccurrence(o);
    }

    /**
     * Removes the first element matching {@code o} (by {@code equals}; byte arrays by content), atomically.
     *
     * @return whether one was removed
     */
    @Override
    public boolean removeFirstOccurrence(Object o) {
        if (o == null) {
            return false;
        }
        long size = heap.getLong(ref + SIZE);
        for (long i = 0; i < size; i++) {
            if (SequenceSupport.matches(o, get(i))) {
                removeAt(i);
                return true;
            }
        }
        return false;
    }

    /**
     * Removes the last element matching {@code o} (by {@code equals}; byte arrays by content), atomically.
     *
     * @return whether one was removed
     */
    @Override
    public boolean removeLastOccurrence(Object o) {
        if (o == null) {
            return false;
        }
        for (long i = heap.getLong(ref + SIZE) - 1; i >= 0; i--) {
            if (SequenceSupport.matches(o, get(i))) {
                removeAt(i);
                return true;
            }
        }
        return false;
    }

    /**
     * Removes occurrences of {@code o} in one atomic step (LREM): with {@code count > 0} the first
     * {@code count} from the front, with {@code count < 0} the first {@code -count} from the back, with 0
     * all. Elements match by {@code equals}, byte arrays by content. Their value copies are freed at
     * commit; the survivors after the first removed one are moved (one logged entry per chunk segment).
     *
     * @return how many were removed
     */
    public long removeOccurrences(Object o, long count) {
        long size = heap.getLong(ref + SIZE);
        if (o == null || size == 0) {
            return 0;
        }
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        boolean[] remove = new boolean[Math.toIntExact(size)];
        long found = 0;
        for (long k = 0; k < size && found < limit; k++) {
            long i = count < 0 ? size - 1 - k : k;
            if (SequenceSupport.matches(o, get(i))) {
                remove[(int) i] = true;
                found++;
            }
        }
        if (found > 0) {
            removeMarked(remove, size, found);
        }
        return found;
    }

    /**
     * Removes the elements {@code filter} accepts in one atomic step: their value copies are freed at
     * commit and the survivors after the first removed one are moved (one logged entry per chunk segment).
     */
    @Override
    public boolean removeIf(java.util.function.Predicate<? super E> filter) {
        Objects.requireNonNull(filter, "filter");
        long size = heap.getLong(ref + SIZE);
        boolean[] remove = new boolean[Math.toIntExact(size)];
        long found = 0;
        Iterator<E> it = iterator();
        for (int i = 0; i < size; i++) {
            if (filter.test(it.next())) {
                remove[i] = true;
                found++;
            }
        }
        if (found > 0) {
            removeMarked(remove, size, found);
        }
        return found > 0;
    }

    /** Removes the {@code removed} elements marked in {@code remove}, atomically. */
    private void removeMarked(boolean[] remove, long size, long removed) {
        HeapSpi.inTransaction(heap, tx -> {
            int firstRemoved = 0;
            while (!remove[firstRemoved]) {
                firstRemoved++;
            }
            byte[] refs = readRefs(firstRemoved, size - firstRemoved);
            byte[] kept = new byte[refs.length];
            int keptBytes = 0;
            for (int i = firstRemoved; i < size; i++) {
                int at = 8 * (i - firstRemoved);
                if (remove[i]) {
                    space.release(tx, heap.getRef(slotOf(i)));
                } else {
                    System.arraycopy(refs, at, kept, keptBytes, 8);
                    keptBytes += 8;
                }
            }
            writeRefs(tx, firstRemoved, java.util.Arrays.copyOf(kept, keptBytes));
            drop(tx, size - removed, removed, false);
        });
        modCount++;
    }

    /**
     * Removes element {@code index}, atomically, moving the shorter side by one (LREM, LSET's inverse).
     *
     * @return the element (a value as a Java copy)
     * @throws IndexOutOfBoundsException outside [0, size)
     */
    @SuppressWarnings("unchecked")
    public E removeAt(long index) {
        Objects.checkIndex(index, heap.getLong(ref + SIZE));
        E removed = HeapSpi.inTransactionGet(heap, tx -> {
            long size = heap.getLong(ref + SIZE);
            long old = heap.getRef(slotOf(index));
            E e = (E) space.load(old);
            space.release(tx, old);
            if (index < size / 2) {
                writeRefs(tx, 1, readRefs(0, index));            // [0, index) -> [1, index + 1)
                drop(tx, 0, 1, false);
            } else {
                writeRefs(tx, index, readRefs(index + 1, size - index - 1));
                drop(tx, size - 1, 1, false);
            }
            return e;
        });
        modCount++;
        return removed;
    }

    /**
     * Replaces element {@code index}, atomically (LSET); a value copy it held is freed at commit.
     *
     * @return the element it held (a value as a Java copy)
     * @throws IndexOutOfBoundsException outside [0, size)
     * @throws NullPointerException if {@code element} is null
     */
    @SuppressWarnings("unchecked")
    public E set(long index, E element) {
        Objects.checkIndex(index, heap.getLong(ref + SIZE));
        checkElement(element);
        return HeapSpi.inTransactionGet(heap, tx -> {
            long slot = slotOf(index);
            long old = heap.getRef(slot);
            E previous = (E) space.load(old);
            tx.putRef(slot, space.store(tx, element, "PDeque element"));
            space.release(tx, old);
            return previous;
        });
    }

    /**
     * Keeps only elements {@code [from, to)}, atomically (LTRIM after clamping its indices): frees the
     * value copies of the others and every chunk left empty; O(removed elements).
     *
     * @throws IndexOutOfBoundsException if not {@code 0 <= from <= to <= size}
     */
    public void trim(long from, long to) {
        long size = heap.getLong(ref + SIZE);
        Objects.checkFromToIndex(from, to, size);
        if (from == 0 && to == size) {
            return;
        }
        HeapSpi.inTransaction(heap, tx -> {
            drop(tx, to, size - to, true);
            drop(tx, 0, from, true);
        });
        modCount++;
    }

    /** Removes every element, atomically: frees the value copies, the chunks and the directory. */
    @Override
    public void clear() {
        if (heap.getRef(ref + DIRECTORY) == 0) {
            return;
        }
        HeapSpi.inTransaction(heap, this::clearIn);
        modCount++;
    }

    /**
     * Frees the deque's blocks (header, directory, chunks and value copies), in the thread's transaction
     * on the heap or in one of its own. Persistent objects it refers to are left alone. The handle must
     * not be used afterwards, and nothing may still refer to the deque.
     */
    public void free() {
        HeapSpi.inTransaction(heap, tx -> {
            clearIn(tx);
            space.free(tx, this);
        });
    }

    @Override
    public String toString() {
        return size() <= 64 ? super.toString() : "PDeque[size=" + size() + "]";
    }

    // ---------------------------------------------------------------- inside a transaction

    private static void checkElement(Object element) {
        if (element == null) {
            throw new NullPointerException("a PDeque holds no null elements");
        }
    }

    /** {@return whether an element matches {@code o}} (by {@code equals}; byte arrays by content) */
    @Override
    public boolean contains(Object o) {
        if (o == null) {
            return false;
        }
        long size = heap.getLong(ref + SIZE);
        for (long i = 0; i < size; i++) {
            if (SequenceSupport.matches(o, get(i))) {
                return true;
            }
        }
        return false;
    }

    private void clearIn(Transaction tx) {
        long directory = heap.getRef(ref + DIRECTORY);
        if (directory == 0) {
            return;
        }
        long size = heap.getLong(ref + SIZE);
        for (long i = 0; i < size; i++) {
            space.release(tx, heap.getRef(slotOf(i)));
        }
        long dirCap = heap.getLong(ref + DIR_CAP);
        for (long c = 0; c < dirCap; c++) {
            long chunk = heap.getRef(directory + 8 * c);
            if (chunk != 0) {
                tx.free(chunk);
            }
        }
        tx.free(directory);
        tx.snapshot(ref, HEADER_BYTES);
        tx.putRef(ref + DIRECTORY, 0);
        tx.putLong(ref + FIRST, 0);
        tx.putLong(ref + SIZE, 0);
        tx.putLong(ref + DIR_CAP, 0);
    }

    /** Adds one element holding {@code value} (a reference already stored, or 0) at one end. */
    private void pushRaw(Transaction tx, boolean front, long value) {
        PersistentHeap h = heap;
        int shift = shift();
        long size = h.getLong(ref + SIZE);
        if (size == h.getLong(ref + DIR_CAP) << shift) {
            grow(tx, shift);
        }
        long mask = (h.getLong(ref + DIR_CAP) << shift) - 1;
        long first = h.getLong(ref + FIRST);
        long q = front ? (first - 1) & mask : (first + size) & mask;
        long entry = h.getRef(ref + DIRECTORY) + 8 * (q >>> shift);
        long chunk = h.getRef(entry);
        if (chunk == 0) {
            chunk = tx.allocateArray(chunkType(), 1L << shift);
            tx.putRef(entry, chunk);
        }
        if (value != 0) {
            tx.putRef(chunk + 8 * (q & ((1L << shift) - 1)), value);
        }
        if (front) {
            tx.snapshot(ref + FIRST, 16);
            tx.putLong(ref + FIRST, q);
        }
        tx.putLong(ref + SIZE, size + 1);
    }

    /** Removes the element at one end, frees its value copy at commit, and returns it. */
    @SuppressWarnings("unchecked")
    private E popRaw(Transaction tx, boolean front) {
        long size = heap.getLong(ref + SIZE);
        long index = front ? 0 : size - 1;
        long old = heap.getRef(slotOf(index));
        E e = (E) space.load(old);
        space.release(tx, old);
        drop(tx, index, 1, false);
        return e;
    }

    /**
     * Drops elements {@code [from, from + n)}, which must touch an end, releasing their value copies if
     * {@code release}: chunks left without elements are freed, the dropped slots of the others zeroed.
     */
    private void drop(Transaction tx, long from, long n, boolean release) {
        if (n == 0) {
            return;
        }
        PersistentHeap h = heap;
        int shift = shift();
        long slotMask = (1L << shift) - 1;
        long ring = h.getLong(ref + DIR_CAP) << shift;
        long first = h.getLong(ref + FIRST);
        long size = h.getLong(ref + SIZE);
        long directory = h.getRef(ref + DIRECTORY);
        long newFirst = from == 0 ? (first + n) & (ring - 1) : first;
        long newSize = size - n;
        if (release) { // all first: a chunk that both ends of a wrapped range share is freed on its first visit
            for (long i = from; i < from + n; i++) {
                long q = (first + i) & (ring - 1);
                space.release(tx, h.getRef(h.getRef(directory + 8 * (q >>> shift)) + 8 * (q & slotMask)));
            }
        }
        for (long i = from; i < from + n; ) {
            long q = (first + i) & (ring - 1);
            long entry = directory + 8 * (q >>> shift);
            long chunk = h.getRef(entry);
            long s = q & slotMask;
            long len = Math.min(slotMask + 1 - s, from + n - i);
            if (chunk != 0) { // 0: this chunk was freed by an earlier segment of this drop
                if (live(q >>> shift, shift, newFirst, newSize, ring)) {
                    tx.fill(chunk + 8 * s, 8 * len, (byte) 0);
                } else {
                    tx.free(chunk);
                    tx.putRef(entry, 0);
                }
            }
            i += len;
        }
        if (newFirst != first) {
            tx.snapshot(ref + FIRST, 16);
            tx.putLong(ref + FIRST, newFirst);
        }
        tx.putLong(ref + SIZE, newSize);
    }

    /** Doubles a full ring: copies the directory (not the elements) and splits the first chunk if it wraps. */
    private void grow(Transaction tx, int shift) {
        PersistentHeap h = heap;
        long dirCap = h.getLong(ref + DIR_CAP);
        long directory = h.getRef(ref + DIRECTORY);
        long first = h.getLong(ref + FIRST);
        long newCap = dirCap == 0 ? 1 : 2 * dirCap;
        if (newCap << shift > Integer.MAX_VALUE) {
            throw new IllegalStateException("a PDeque holds at most " + Integer.MAX_VALUE + " elements");
        }
        long fresh = tx.allocateArray(directoryType(), newCap);
        long c0 = first >>> shift;
        long off = first & ((1L << shift) - 1);
        for (long j = 0; j < dirCap; j++) { // new block: not logged
            tx.putRef(fresh + 8 * j, h.getRef(directory + 8 * ((c0 + j) & (dirCap - 1))));
        }
        if (dirCap > 0 && off != 0) {
            // the first chunk also holds the last `off` elements in its slots [0, off): move them to a
            // chunk of their own right after the old ring
            long wrapped = h.getRef(directory + 8 * c0);
            long tail = tx.allocateArray(chunkType(), 1L << shift);
            SequenceSupport.move(h, tx, wrapped, tail, 8 * off);
            tx.fill(wrapped, 8 * off, (byte) 0);
            tx.putRef(fresh + 8 * dirCap, tail);
        }
        tx.snapshot(ref, HEADER_BYTES);
        tx.putRef(ref + DIRECTORY, fresh);
        tx.putLong(ref + DIR_CAP, newCap);
        tx.putLong(ref + FIRST, dirCap == 0 ? 0 : off);
        if (directory != 0) {
            tx.free(directory);
        }
    }

    /** {@return the references of elements [from, from + n) as little-endian bytes} */
    private byte[] readRefs(long from, long n) {
        byte[] out = new byte[Math.toIntExact(8 * n)];
        PersistentHeap h = heap;
        int shift = shift();
        long slotMask = (1L << shift) - 1;
        long mask = (h.getLong(ref + DIR_CAP) << shift) - 1;
        long first = h.getLong(ref + FIRST);
        long directory = h.getRef(ref + DIRECTORY);
        for (long i = 0; i < n; ) {
            long q = (first + from + i) & mask;
            long chunk = h.getRef(directory + 8 * (q >>> shift));
            long len = Math.min(slotMask + 1 - (q & slotMask), n - i);
            h.getBytes(chunk + 8 * (q & slotMask), out, (int) (8 * i), (int) (8 * len));
            i += len;
        }
        return out;
    }

    /** Writes {@code refs} (from {@link #readRefs}) over the slots of elements from {@code from}, logged per chunk. */
    private void writeRefs(Transaction tx, long from, byte[] refs) {
        PersistentHeap h = heap;
        int shift = shift();
        long slotMask = (1L << shift) - 1;
        long mask = (h.getLong(ref + DIR_CAP) << shift) - 1;
        long first = h.getLong(ref + FIRST);
        long directory = h.getRef(ref + DIRECTORY);
        long n = refs.length / 8;
        for (long i = 0; i < n; ) {
            long q = (first + from + i) & mask;
            long chunk = h.getRef(directory + 8 * (q >>> shift));
            long len = Math.min(slotMask + 1 - (q & slotMask), n - i);
            tx.putBytes(chunk + 8 * (q & slotMask), refs, (int) (8 * i), (int) (8 * len));
            i += len;
        }
    }

    private HeapType chunkType() {
        HeapType type = chunkType;
        if (type == null) {
            type = SequenceSupport.arrayType(heap, CHUNK_TYPE, FieldKind.REF);
            chunkType = type;
        }
        return type;
    }

    private HeapType directoryType() {
        HeapType type = directoryType;
        if (type == null) {
            type = SequenceSupport.arrayType(heap, DIRECTORY_TYPE, FieldKind.REF);
            directoryType = type;
        }
        return type;
    }

    /**
     * Index-based and fail-fast; reads the header once (and again after its own {@code remove}) and each
     * chunk's address once per chunk, so a step is one slot load plus the element's load.
     * {@code remove} removes through {@link #removeAt}.
     */
    private final class Itr implements Iterator<E> {
        private final boolean descending;
        private long next;
        private long last = -1;
        private int expected = modCount;
        private long size;
        private long first;
        private long mask;
        private int shift;
        private long directory;
        private long chunkIndex = -1;
        private long chunk;

        Itr(boolean descending) {
            this.descending = descending;
            readHeader();
            this.next = descending ? size - 1 : 0;
        }

        private void readHeader() {
            PersistentHeap h = heap;
            size = h.getLong(ref + SIZE);
            first = h.getLong(ref + FIRST);
            shift = shift();
            mask = (h.getLong(ref + DIR_CAP) << shift) - 1;
            directory = h.getRef(ref + DIRECTORY);
            chunkIndex = -1;
        }

        @Override
        public boolean hasNext() {
            return descending ? next >= 0 : next < size;
        }

        @Override
        @SuppressWarnings("unchecked")
        public E next() {
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = next;
            next += descending ? -1 : 1;
            long q = (first + last) & mask;
            if (q >>> shift != chunkIndex) {
                chunkIndex = q >>> shift;
                chunk = heap.getRef(directory + 8 * chunkIndex);
            }
            return (E) space.load(heap.getRef(chunk + 8 * (q & ((1L << shift) - 1))));
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            removeAt(last);
            if (!descending) {
                next = last;
            }
            last = -1;
            expected = modCount;
            readHeader();
        }
    }
}
