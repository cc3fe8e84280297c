package io.jpmem.heap.internal.wal;

import static io.jpmem.heap.internal.wal.WalFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The two log files of a heap and which one receives records: the state the write-ahead log and the
 * checkpointer share.
 *
 * <h2>States</h2>
 * <ul>
 *   <li><b>steady</b>: the receiving file is {@code CHECKPOINTED} at some sequence C (the heap file
 *       holds everything up to C) and holds the records after C; the other file (the spare) is stale,
 *       or {@code ARMED} with the next generation and no records, ready for a roll.</li>
 *   <li><b>rolled</b>: a checkpoint is under way. The base file ({@code CHECKPOINTED} at C) holds the
 *       records C+1..R and receives no more; the receiving file is {@code ARMED} (generation + 1) and
 *       gets R+1 on. {@link #complete()} marks it {@code CHECKPOINTED} at R once the heap file holds
 *       every record up to R, and the base file becomes the spare.</li>
 * </ul>
 * Every header change is a rewrite of the file's other header slot followed by fdatasync, so a crash
 * during it leaves the previous header valid. In every state, recovery finds the records after the
 * heap file's checkpoint in at most two files whose generations chain (see {@link WalRecovery}).
 *
 * <p>Thread-safe; header rewrites are serialized by the checkpointer, which is their only caller.
 */
public final class WalFiles implements AutoCloseable {

    /** The file records go to: its index (0 or 1), the file and its current header. */
    public record Target(int index, DiskFile file, WalHeader header) {}

    private final UUID heapId;
    private final DiskFile[] files;
    private final WalHeader[] headers;
    private final int[] slots;
    private final RandomGenerator salts;
    private int receiving;
    private boolean rolled;
    private long rollSeq;

    WalFiles(UUID heapId, DiskFile[] files, WalHeader[] headers, int[] slots, int receiving, boolean rolled,
            long rollSeq, RandomGenerator salts) {
        this.heapId = Objects.requireNonNull(heapId);
        this.files = files.clone();
        this.headers = headers.clone();
        this.slots = slots.clone();
        this.receiving = receiving;
        this.rolled = rolled;
        this.rollSeq = rollSeq;
        this.salts = salts;
    }

    /**
     * Initializes two new, empty files as the log of heap {@code heapId}: the first {@code CHECKPOINTED}
     * at sequence 0 (generation 1), the second stale (generation 0); both durable when this returns.
     *
     * @throws IOException if a write or sync fails
     */
    public static WalFiles create(DiskFile first, DiskFile second, UUID heapId) throws IOException {
        return create(first, second, heapId, new SecureRandom());
    }

    /** As {@link #create(DiskFile, DiskFile, UUID)}, with the salts drawn from {@code salts}. */
    public static WalFiles create(DiskFile first, DiskFile second, UUID heapId, RandomGenerator salts)
            throws IOException {
        DiskFile[] files = {first, second};
        WalHeader[] headers = {new WalHeader(heapId, 1, false, 0, salts.nextLong(), 1),
                new WalHeader(heapId, 0, false, 0, salts.nextLong(), 1)};
        for (int i = 0; i < 2; i++) {
            files[i].write(headers[i].encode(), HEADER_SLOT_0);
            files[i].write(headers[i].encode(), HEADER_SLOT_1);
            files[i].write(ByteBuffer.allocate(1), BODY_START - 1);
            files[i].sync();
        }
        return new WalFiles(heapId, files, headers, new int[] {0, 0}, 0, false, 0, salts);
    }

    /** {@return the heap this log belongs to} */
    public UUID heapId() {
        return heapId;
    }

    /** {@return the file records go to now} */
    public synchronized Target receiving() {
        return new Target(receiving, files[receiving], headers[receiving]);
    }

    /** {@return whether a checkpoint is under way (rolled, not yet complete)} */
    public synchronized boolean rolled() {
        return rolled;
    }

    /** {@return the last sequence of the base file while rolled} */
    public synchronized long rollSeq() {
        return rollSeq;
    }

    /** {@return whether the spare holds the next generation, ready for {@link #roll}} */
    public synchronized boolean spareArmed() {
        WalHeader spare = headers[1 - receiving];
        return !rolled && spare.armed() && spare.generation() == headers[receiving].generation() + 1;
    }

    /** {@return the current header of file {@code index}} */
    public synchronized WalHeader header(int index) {
        return headers[index];
    }

    /** {@return file {@code index}} */
    public DiskFile file(int index) {
        return files[index];
    }

    /**
     * Makes the spare {@code ARMED} with the next generation and a new salt, durably. Its old frames
     * (another salt) become invisible; recovery now reads it as the (empty) successor of the receiving file.
     *
     * @throws IllegalStateException if a checkpoint is under way
     * @throws IOException           if the header write or sync fails (the spare is then not armed)
     */
    void arm() throws IOException {
        int spare;
        WalHeader next;
        synchronized (this) {
            if (rolled) {
                throw new IllegalStateException("a checkpoint is under way: its base file is not a spare");
            }
            spare = 1 - receiving;
            next = new WalHeader(heapId, headers[receiving].generation() + 1, true, 0, salts.nextLong(),
                    headers[spare].counter() + 1);
        }
        writeHeader(spare, next);
    }

    /**
     * Switches the receiving file to the armed spare (no I/O): records after {@code lastSeq} go there.
     * The caller guarantees that every record up to {@code lastSeq} is durable in the current file.
     */
    synchronized Target roll(long lastSeq) {
        if (!spareArmed()) {
            throw new IllegalStateException("the spare log file is not armed");
        }
        rolled = true;
        rollSeq = lastSeq;
        receiving = 1 - receiving;
        return receiving();
    }

    /**
     * Marks the receiving file {@code CHECKPOINTED} at the roll's sequence, durably: the commit point
     * of a checkpoint. The caller guarantees the heap file durably holds every record up to it.
     *
     * @throws IllegalStateException if there was no roll
     * @throws IOException           if the header write or sync fails (the checkpoint is then not complete)
     */
    void complete() throws IOException {
        int index;
        WalHeader done;
        synchronized (this) {
            if (!rolled) {
                throw new IllegalStateException("no checkpoint is under way");
            }
            index = receiving;
            done = headers[index].checkpointed(rollSeq);
        }
        writeHeader(index, done);
        synchronized (this) {
            rolled = false;
        }
    }

    private void writeHeader(int index, WalHeader header) throws IOException {
        int slot;
        synchronized (this) {
            slot = 1 - slots[index];
        }
        files[index].write(header.encode(), slot == 0 ? HEADER_SLOT_0 : HEADER_SLOT_1);
        files[index].sync();
        synchronized (this) {
            slots[index] = slot;
            headers[index] = header;
        }
    }

    /** Closes both files. */
    @Override
    public void close() throws IOException {
        try {
            files[0].close();
        } finally {
            files[1].close();
        }
    }
}
