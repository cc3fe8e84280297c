package io.jpmem.heap.internal.log;

/**
 * What a {@link LogSlot} needs from the layer that owns the heap's space (the allocator, one layer
 * up): chunks to extend a slot into, and the words its redo entries update. Keeps the log layer
 * free of allocator types.
 */
public interface LogSpace {

    /** {@return a free chunk, now durably of the log kind, for a slot extension; 0 if none is free} */
    long takeLogChunk();

    /**
     * Applies one committed redo entry ({@code kind} is one of the heap format's redo kinds) to its
     * target word, as recovery replays it. Idempotent: applying it twice leaves the same state.
     */
    void applyRedo(int kind, long target, long value);
}
