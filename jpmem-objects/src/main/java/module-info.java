/**
 * Persistent objects: {@code @Persistent}, the runtime enhanced classes call (allocation by
 * {@code new}, field barriers, canonical handles), persistent arrays, and the default heap that
 * {@code -Djpmem.heap} opens.
 */
module io.jpmem.objects {
    requires transitive io.jpmem.heap;

    exports io.jpmem.objects;
}
