package io.jpmem.heap.internal.log;

import java.util.List;

/**
 * What a {@link LogSlot} needs from the layer that owns the heap's space (the allocator, one layer
 * up): chunks to extend a slot into, and the words its redo entries update. Keeps the log layer
 * free of allocator types.
 */
public interface LogSpace {

    /**
     * {@return a free chunk, now durably of the log kind, for a slot extension; 0 if none can be had}
     *
     * @param commitRecord the extension holds a transaction's commit record (its redo entries): it may
     *     take the log reserve, the last free chunk(s) that allocations and undo entries never take
     * @param mayWait when no chunk is free but other transactions' commit records hold extensions,
     *     wait (boundedly) for one to come back; false for a slot that already holds a commit-record
     *     extension, so two commits can never wait for each other
     */
    long takeLogChunk(boolean commitRecord, boolean mayWait);

    /**
     * Returns extension chunks the slot no longer links (their entries no longer validate): each
     * becomes durably free, then reusable.
     *
     * @param commitRecordChunks how many of them were taken for a commit record
     */
    void returnLogChunks(List<Long> chunkStarts, int commitRecordChunks);

    /**
     * Applies one committed redo entry ({@code kind} is one of the heap format's redo kinds) to its
     * target word, as recovery replays it. Idempotent: applying it twice leaves the same state.
     */
    void applyRedo(int kind, long target, long value);
}
