package io.jpmem.persist;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * {@link Durability#SIMULATED}: a recording model of a persistence domain, for tests.
 *
 * <p>The mapping plays the part of the CPU caches (what the running program sees). Beside it the
 * domain keeps a <em>durable image</em>: what the persistent media would hold. A {@link #flush}
 * takes the lines as they are; the flushing thread's next {@link #drain} (a fence) makes them
 * durable — unless a newer flush of the same line is durable already (write-backs of one line reach
 * the media in issue order). Until then they may or may not reach the media; so may every word stored since its line
 * was last flushed (it may have been evicted). {@link #crashImage} builds the durable image plus any
 * chosen subset of these candidate words.
 *
 * <p>Every store, flush and fence is reported, after it happened, to the listener set with
 * {@link #onEvent}; the power-fail explorer uses that to stop at crash points (a listener may
 * throw to abandon the operation at that point). The listener runs outside the domain's lock, so
 * it may block (the explorer's two-thread scheduler does).
 *
 * <p>Thread-safe: each store, flush and fence and its bookkeeping happen under the domain's lock.
 */
public final class SimulatedDomain extends MappedDomain {

    /** The largest mapping a simulated domain accepts (its image lives on the Java heap). */
    public static final long MAX_BYTE_SIZE = 256L << 20;

    /** One recorded event. */
    public sealed interface Event permits Store, Flush, Fence {}

    /** A store of {@code byteSize} bytes at {@code offset}. */
    public record Store(long offset, long byteSize) implements Event {}

    /** A flush of the lines covering {@code [offset, offset + byteSize)}. */
    public record Flush(long offset, long byteSize) implements Event {}

    /** A drain (store fence). */
    public record Fence() implements Event {}

    private static final Fence FENCE = new Fence();

    private final byte[] durable;
    private final BitSet unflushedWords = new BitSet();
    /** A line's content as one flush wrote it back, numbered in flush order. */
    private record Snapshot(long sequence, byte[] bytes) {}

    /** Per thread: lines flushed and not yet fenced, with their content when flushed. */
    private final Map<Thread, Map<Integer, Snapshot>> pendingLines = new HashMap<>();
    /**
     * Per line: the flush whose content the durable image holds. Write-backs of one line reach the
     * media in the order they were issued, and a fence only waits for its own thread's: a fence that
     * completes an older flush never puts older content over a newer flush another thread fenced.
     */
    private final Map<Integer, Long> durableSequence = new HashMap<>();
    private long flushSequence;
    private Consumer<Event> listener = e -> { };
    private long storeCount;
    private long flushCount;
    private long fenceCount;

    private static final ThreadLocal<BiConsumer<SimulatedDomain, Event>> LISTENER_FOR_NEW_DOMAINS = new ThreadLocal<>();

    /**
     * Runs {@code action} with {@code listener} installed on every simulated domain the calling
     * thread creates meanwhile: the way to watch what a heap does while it opens (recovery). The
     * listener gets the domain with each event.
     */
    public static void withListenerForNewDomains(BiConsumer<SimulatedDomain, Event> listener, Runnable action) {
        BiConsumer<SimulatedDomain, Event> previous = LISTENER_FOR_NEW_DOMAINS.get();
        LISTENER_FOR_NEW_DOMAINS.set(Objects.requireNonNull(listener, "listener"));
        try {
            action.run();
        } finally {
            LISTENER_FOR_NEW_DOMAINS.set(previous);
        }
    }

    SimulatedDomain(MemorySegment mapping) {
        super(mapping);
        BiConsumer<SimulatedDomain, Event> initial = LISTENER_FOR_NEW_DOMAINS.get();
        if (initial != null) {
            listener = event -> initial.accept(this, event);
        }
        if (mapping.byteSize() > MAX_BYTE_SIZE) {
            throw new IllegalArgumentException("a simulated domain holds at most " + MAX_BYTE_SIZE
                    + " bytes, not " + mapping.byteSize());
        }
        durable = mapping.toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public Durability durability() {
        return Durability.SIMULATED;
    }

    @Override
    public FlushMechanism mechanism() {
        return FlushMechanism.SIMULATED;
    }

    /**
     * Sets the listener that receives every event after it happened.
     *
     * @param listener the listener; it runs while this domain's lock is held
     */
    public synchronized void onEvent(Consumer<Event> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void putByte(long offset, byte value) {
        recordStore(offset, 1, () -> super.putByte(offset, value));
    }

    @Override
    public void putShort(long offset, short value) {
        recordStore(offset, 2, () -> super.putShort(offset, value));
    }

    @Override
    public void putInt(long offset, int value) {
        recordStore(offset, 4, () -> super.putInt(offset, value));
    }

    @Override
    public void putLong(long offset, long value) {
        recordStore(offset, 8, () -> super.putLong(offset, value));
    }

    @Override
    public void putBytes(long offset, byte[] source, int sourceIndex, int length) {
        recordStore(offset, length, () -> super.putBytes(offset, source, sourceIndex, length));
    }

    @Override
    public void putBytes(long offset, MemorySegment source) {
        recordStore(offset, source.byteSize(), () -> super.putBytes(offset, source));
    }

    @Override
    public void fill(long offset, long byteSize, byte value) {
        recordStore(offset, byteSize, () -> super.fill(offset, byteSize, value));
    }

    /** Performs a store and its bookkeeping under the lock, then tells the listener outside it. */
    private void recordStore(long offset, long byteSize, Runnable store) {
        Event event;
        synchronized (this) {
            store.run();
            event = stored(offset, byteSize);
        }
        fire(event);
    }

    private Event stored(long offset, long byteSize) {
        if (byteSize == 0) {
            return null;
        }
        unflushedWords.set(Math.toIntExact(offset >>> 3), Math.toIntExact((offset + byteSize + 7) >>> 3));
        storeCount++;
        return new Store(offset, byteSize);
    }

    /** Tells the listener, outside this domain's lock, so that a listener may block (a scheduler). */
    private void fire(Event event) {
        if (event != null) {
            Consumer<Event> current;
            synchronized (this) {
                current = listener;
            }
            current.accept(event);
        }
    }

    @Override
    public void flush(long offset, long byteSize) {
        synchronized (this) {
            flushLocked(offset, byteSize);
        }
        fire(new Flush(offset, byteSize));
    }

    private void flushLocked(long offset, long byteSize) {
        checkRange(offset, byteSize);
        if (byteSize > 0) {
            long[] lines = unitRange(offset, byteSize, LINE);
            Map<Integer, Snapshot> pending = pendingLines.computeIfAbsent(Thread.currentThread(), t -> new HashMap<>());
            for (long line = lines[0]; line < lines[1]; line += LINE) {
                int length = (int) Math.min(LINE, mapping.byteSize() - line);
                pending.put((int) line, new Snapshot(flushSequence++, mapping.asSlice(line, length).toArray(ValueLayout.JAVA_BYTE)));
            }
            unflushedWords.clear(Math.toIntExact(lines[0] >>> 3), Math.toIntExact(lines[1] >>> 3));
        }
        flushCount++;
    }

    @Override
    public void drain() {
        synchronized (this) {
            // The fence completes this thread's flushes: their lines, as flushed, are durable now.
            Map<Integer, Snapshot> pending = pendingLines.remove(Thread.currentThread());
            if (pending != null) {
                pending.forEach((line, snapshot) -> {
                    if (snapshot.sequence() > durableSequence.getOrDefault(line, -1L)) {
                        System.arraycopy(snapshot.bytes(), 0, durable, line, snapshot.bytes().length);
                        durableSequence.put(line, snapshot.sequence());
                    }
                });
            }
            fenceCount++;
        }
        fire(FENCE);
    }

    /** {@return a copy of the durable image: only what was flushed and fenced} */
    public synchronized byte[] durableImage() {
        return durable.clone();
    }

    /**
     * {@return the offsets of the 8-byte words that may or may not be on the media after a crash now,
     * ascending} Words stored since their line was last flushed, and words of lines flushed but not
     * yet fenced.
     */
    public synchronized long[] unflushedWordOffsets() {
        BitSet words = candidateWords();
        return words.stream().mapToLong(word -> (long) word << 3).toArray();
    }

    private BitSet candidateWords() {
        BitSet words = (BitSet) unflushedWords.clone();
        for (Map<Integer, Snapshot> pending : pendingLines.values()) {
            pending.forEach((line, snapshot) -> words.set(line >>> 3, (line + snapshot.bytes().length + 7) >>> 3));
        }
        return words;
    }

    /**
     * Builds what the media could hold after a power failure now.
     *
     * @param evicted chooses, by offset, which candidate words reached the media anyway: a word
     *     stored since its last flush brings its current value; a word of a line flushed but not yet
     *     fenced brings the value it had when flushed
     * @return the durable image plus the chosen words
     */
    public synchronized byte[] crashImage(LongPredicate evicted) {
        byte[] image = durable.clone();
        BitSet words = candidateWords();
        for (int word = words.nextSetBit(0); word >= 0; word = words.nextSetBit(word + 1)) {
            long offset = (long) word << 3;
            if (!evicted.test(offset)) {
                continue;
            }
            int length = (int) Math.min(8, mapping.byteSize() - offset);
            if (unflushedWords.get(word)) {
                MemorySegment.copy(mapping, ValueLayout.JAVA_BYTE, offset, image, (int) offset, length);
            } else {
                int line = (int) (offset & -LINE);
                Snapshot newest = null; // the newest write-back of the line in flight, if newer than the media's
                for (Map<Integer, Snapshot> pending : pendingLines.values()) {
                    Snapshot snapshot = pending.get(line);
                    if (snapshot != null && (newest == null || snapshot.sequence() > newest.sequence())) {
                        newest = snapshot;
                    }
                }
                if (newest != null && newest.sequence() > durableSequence.getOrDefault(line, -1L)) {
                    System.arraycopy(newest.bytes(), (int) (offset - line), image, (int) offset, length);
                }
            }
        }
        return image;
    }

    /** {@return the number of stores recorded so far} */
    public synchronized long storeCount() {
        return storeCount;
    }

    /** {@return the number of flushes recorded so far} */
    public synchronized long flushCount() {
        return flushCount;
    }

    /** {@return the number of drains (fences) recorded so far} */
    public synchronized long fenceCount() {
        return fenceCount;
    }
}
