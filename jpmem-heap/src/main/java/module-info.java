/**
 * The persistent heap: a memory-mapped file of persistent blocks with roots, a type table, an
 * allocator, failure-atomic transactions and recovery ({@code io.jpmem.heap}), over a persistence
 * domain that says when a store is durable ({@code io.jpmem.persist}). The file format and
 * allocator internals are exported only to the jpmem tool, which prints them.
 */
module io.jpmem.heap {
    requires jdk.nio.mapmode; // MAP_SYNC mappings (ExtendedMapMode)

    exports io.jpmem.heap;
    exports io.jpmem.persist;
    exports io.jpmem.heap.internal.format to io.jpmem.tools;
    exports io.jpmem.heap.spi to io.jpmem.objects, io.jpmem.collections, io.jpmem.explorer, io.jpmem.redis;
}
