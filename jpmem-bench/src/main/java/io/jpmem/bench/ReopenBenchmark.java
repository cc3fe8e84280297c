package io.jpmem.bench;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A clean reopen (open + close) of a 1 GiB and an 8 GiB heap: it reads the header, the type and
 * root tables and the chunk table's summaries, never the objects, and writes the header twice.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ReopenBenchmark {

    @Param({"1073741824", "8589934592"})
    public long maxByteSize;

    @Param({"PROCESS", "POWER"})
    public Durability durability;

    Path file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile(BenchHeaps.directory(), "jpmem-reopen-", ".heap");
        Files.delete(file);
        PersistentHeap.create(file, HeapOptions.defaults().withMaxByteSize(maxByteSize).withDurability(durability)).close();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long reopenClean() {
        try (PersistentHeap heap = PersistentHeap.open(file, durability)) {
            return heap.objectAreaEnd();
        }
    }
}
