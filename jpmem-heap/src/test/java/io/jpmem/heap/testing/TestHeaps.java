package io.jpmem.heap.testing;

import io.jpmem.heap.HeapOptions;
import io.jpmem.persist.Durability;

/** Heap options for tests: small heaps, quick to create. */
public final class TestHeaps {

    private TestHeaps() {}

    /** 1 MiB maximum, 64 KiB chunks. */
    public static HeapOptions small(Durability durability) {
        return HeapOptions.defaults().withDurability(durability).withMaxByteSize(1 << 20);
    }
}
