package io.jpmem.heap.internal.format;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How much disk a (sparse) file really uses: libc {@code stat}'s {@code st_blocks} through FFM.
 * Linux on x86-64 and AArch64 only (where {@code st_size} is at byte 48 and {@code st_blocks} at
 * byte 64 of {@code struct stat}); the size read back is compared with the JDK's to make sure the
 * layout is right, and anything else reports "unknown" rather than a wrong number.
 */
@SuppressWarnings("restricted") // native downcalls on purpose; the launchers grant --enable-native-access
public final class FileSpace {

    private FileSpace() {}

    private static final Optional<MethodHandle> STAT = lookupStat();

    private static Optional<MethodHandle> lookupStat() {
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").startsWith("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
            return Optional.empty();
        }
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("stat").map(symbol -> linker.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS)));
    }

    /** {@return the bytes of disk the file occupies, or empty if unknown} */
    public static OptionalLong bytesOnDisk(Path file) {
        if (STAT.isEmpty()) {
            return OptionalLong.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256, 8);
            int rc = (int) STAT.get().invokeExact(arena.allocateFrom(file.toString()), buffer);
            long size = buffer.get(ValueLayout.JAVA_LONG, 48);
            if (rc != 0 || size != Files.size(file)) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(buffer.get(ValueLayout.JAVA_LONG, 64) * 512);
        } catch (Throwable t) {
            return OptionalLong.empty();
        }
    }
}
