package io.jpmem.heap;

/** How a heap file is opened. */
public enum AccessMode {
    /** Exclusive lock, shared writable mapping: the normal mode. The only mode that writes the file. */
    READ_WRITE,
    /** Shared lock, read-only mapping. Used by the tools; any write throws {@link IllegalStateException}. */
    READ_ONLY,
    /**
     * Shared lock, private copy-on-write mapping: the heap can be written (recovery runs) but no byte
     * ever reaches the file. Used by {@code jpmem check} to examine what recovery would produce.
     * Needs write permission on the file, because the JDK maps privately only through a read-write
     * channel; nothing is written through it.
     */
    PRIVATE_COPY
}
