package io.jpmem.persist;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * libpmem (PMDK's low-level library, Debian package {@code libpmem1}) through FFM.
 *
 * <p>Loaded once per JVM. Absent when the library is not installed, or when the system property
 * {@code jpmem.libpmem} is {@code false}. The flush and drain calls are "critical" downcalls: they
 * neither block nor call back into Java, so the JVM skips the thread-state transition.
 * {@code PMEM_IS_PMEM_FORCE=1} in the environment makes {@code pmem_is_pmem} accept any memory
 * (emulated persistent memory), as documented by PMDK.
 */
@SuppressWarnings("restricted") // native downcalls on purpose; the launchers grant --enable-native-access
final class Libpmem {

    private static final Optional<Libpmem> INSTANCE = load();

    private final MethodHandle isPmem;
    private final MethodHandle flush;
    private final MethodHandle drain;
    private final MethodHandle memcpyNoDrain;

    private Libpmem(SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        Linker.Option critical = Linker.Option.critical(false);
        isPmem = linker.downcallHandle(find(lookup, "pmem_is_pmem"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        flush = linker.downcallHandle(find(lookup, "pmem_flush"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), critical);
        drain = linker.downcallHandle(find(lookup, "pmem_drain"), FunctionDescriptor.ofVoid(), critical);
        // critical(true): the source may be a Java array, read in place (no copy to native memory first)
        memcpyNoDrain = linker.downcallHandle(find(lookup, "pmem_memcpy_nodrain"), FunctionDescriptor.of(
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                Linker.Option.critical(true));
    }

    static Optional<Libpmem> instance() {
        return INSTANCE;
    }

    private static Optional<Libpmem> load() {
        if (!Boolean.parseBoolean(System.getProperty("jpmem.libpmem", "true"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Libpmem(SymbolLookup.libraryLookup("libpmem.so.1", Arena.global())));
        } catch (IllegalArgumentException | UnsatisfiedLinkError notInstalled) {
            return Optional.empty();
        }
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalArgumentException("libpmem lacks " + name));
    }

    boolean isPmem(MemorySegment range) {
        try {
            return (int) isPmem.invokeExact(range, range.byteSize()) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void flush(MemorySegment range) {
        try {
            flush.invokeExact(range, range.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code pmem_memcpy_nodrain}: copies {@code source} to {@code target}, flushed but not drained. */
    void copyNoDrain(MemorySegment target, MemorySegment source) {
        try {
            MemorySegment ignored = (MemorySegment) memcpyNoDrain.invokeExact(target, source, source.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void drain() {
        try {
            drain.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("libpmem call failed", t);
    }
}
