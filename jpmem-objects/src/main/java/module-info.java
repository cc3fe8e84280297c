/**
 * Persistent objects: {@code @Persistent}, the runtime enhanced classes call (allocation by
 * {@code new}, field barriers, canonical handles), persistent arrays, and the default heap that
 * {@code -Djpmem.heap} opens.
 *
 * <p>{@code io.jpmem.objects.spi} is the contract between this runtime, the enhancer and the
 * hand-written persistent classes of the collections; it is exported to those modules only.
 */
module io.jpmem.objects {
    requires transitive io.jpmem.heap;

    exports io.jpmem.objects;
    exports io.jpmem.objects.spi to io.jpmem.enhancer, io.jpmem.collections;
}
