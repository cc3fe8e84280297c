package io.jpmem.bench;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Heaps for benchmarks: a fresh file in {@code -Djpmem.bench.dir} (default /dev/shm, a tmpfs, so
 * that the numbers measure jpmem and not a disk), deleted at tear-down.
 */
final class BenchHeaps {

    private BenchHeaps() {}

    static Path directory() throws IOException {
        String configured = System.getProperty("jpmem.bench.dir");
        Path dir = configured != null ? Path.of(configured)
                : Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createDirectories(dir);
    }

    static PersistentHeap create(Durability durability, long maxByteSize) throws IOException {
        Path file = Files.createTempFile(directory(), "jpmem-bench-", ".heap");
        Files.delete(file);
        PersistentHeap heap = PersistentHeap.create(file,
                HeapOptions.defaults().withDurability(durability).withMaxByteSize(maxByteSize));
        System.err.println("# heap " + file + ": durability " + heap.durability() + " via " + heap.flushMechanism().label());
        return heap;
    }

    static void delete(PersistentHeap heap) throws IOException {
        Path file = heap.path();
        heap.close();
        Files.deleteIfExists(file);
    }
}
