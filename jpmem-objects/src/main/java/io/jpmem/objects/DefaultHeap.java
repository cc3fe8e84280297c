package io.jpmem.objects;

import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.LogSync;
import io.jpmem.heap.JpmemException;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The default persistent heap named on the command line: jpmem's counterpart of a JVM option such
 * as {@code -XX:PersistentHeapPath}.
 *
 * <ul>
 *   <li>{@code -Djpmem.heap=PATH}: the heap file; created if it does not exist, else opened (and
 *       recovered after a crash);
 *   <li>{@code -Djpmem.heap.size=SIZE}: the maximum size of a new heap, such as {@code 64m} or
 *       {@code 1g} (default 64m; an existing heap keeps its own);
 *   <li>{@code -Djpmem.heap.durability=power|process}: POWER (default) makes each commit survive
 *       power loss, PROCESS only a crash of the process;
 *   <li>{@code -Djpmem.heap.appendfsync=always|everysec|no}: on an ordinary disk, where a POWER heap
 *       keeps a write-ahead log, when a commit is fdatasync'd (default always: before it returns;
 *       {@link io.jpmem.heap.LogSync}).
 * </ul>
 *
 * The heap is opened at first use — {@link ObjectSpace#defaultSpace()}, or {@code new} of a
 * persistent class outside a transaction — becomes the {@linkplain ObjectSpace#setDefault default
 * space}, and is closed cleanly by a shutdown hook at exit. A bad value is reported as a
 * {@link IllegalArgumentException} whose message is one line naming the option; the load-time agent
 * and the runtime image's class loader check the options at startup ({@link #checkAtStartup()}), so
 * a bad value stops the JVM before {@code main} with that line.
 */
public final class DefaultHeap {

    /** The heap file. */
    public static final String PATH_PROPERTY = "jpmem.heap";
    /** The maximum size of a new heap. */
    public static final String SIZE_PROPERTY = "jpmem.heap.size";
    /** power or process. */
    public static final String DURABILITY_PROPERTY = "jpmem.heap.durability";
    /** always, everysec or no. */
    public static final String APPENDFSYNC_PROPERTY = "jpmem.heap.appendfsync";

    /** What the properties say. */
    public record Settings(Path path, HeapOptions options) {}

    private static PersistentHeap opened;

    private DefaultHeap() {}

    /**
     * {@return the settings the system properties give, or empty if {@code jpmem.heap} is not set}
     *
     * @throws IllegalArgumentException with a one-line message naming the option, for a bad value
     */
    public static Optional<Settings> settings() {
        String path = System.getProperty(PATH_PROPERTY);
        if (path == null) {
            return Optional.empty();
        }
        String where = "-D" + PATH_PROPERTY + "=" + path;
        if (path.isBlank()) {
            throw new IllegalArgumentException(where + ": the path is empty");
        }
        Path file;
        try {
            file = Path.of(path).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(where + ": not a valid path (" + e.getReason() + ")");
        }
        HeapOptions options = HeapOptions.defaults().withDurability(durability()).withMaxByteSize(size())
                .withLogSync(logSync());
        if (!Files.exists(file)) {
            Path dir = file.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new IllegalArgumentException(where + ": directory " + dir + " does not exist");
            }
            if (!canCreateFilesIn(dir)) {
                throw new IllegalArgumentException(where + ": directory " + dir + " is not writable, so the heap cannot be created");
            }
        } else if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(where + ": is a directory, not a heap file");
        }
        return Optional.of(new Settings(file, options));
    }

    /** Tries it (permission bits do not tell for root, or for a read-only or special file system). */
    private static boolean canCreateFilesIn(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".jpmem-probe-", ".tmp"));
            return true;
        } catch (java.io.IOException | SecurityException e) {
            return false;
        }
    }

    private static long size() {
        String value = System.getProperty(SIZE_PROPERTY);
        if (value == null) {
            return HeapOptions.DEFAULT_MAX_BYTE_SIZE;
        }
        String where = "-D" + SIZE_PROPERTY + "=" + value;
        long bytes = HeapOptions.parseByteSize(value).orElseThrow(() -> new IllegalArgumentException(where
                + ": not a size such as 64m or 1g"));
        try {
            HeapOptions.defaults().withMaxByteSize(bytes).layout(); // checks the bounds
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        return bytes;
    }

    private static LogSync logSync() {
        String value = System.getProperty(APPENDFSYNC_PROPERTY, "always");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "always" -> LogSync.ALWAYS;
            case "everysec" -> LogSync.EVERYSEC;
            case "no" -> LogSync.NO;
            default -> throw new IllegalArgumentException("-D" + APPENDFSYNC_PROPERTY + "=" + value
                    + ": not a log sync level (always, everysec or no)");
        };
    }

    private static Durability durability() {
        String value = System.getProperty(DURABILITY_PROPERTY, "power");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "power" -> Durability.POWER;
            case "process" -> Durability.PROCESS;
            default -> throw new IllegalArgumentException("-D" + DURABILITY_PROPERTY + "=" + value
                    + ": not a durability (power or process)");
        };
    }

    /**
     * Opens the heap the properties name, once per JVM, and makes it the default space; closes it at exit.
     *
     * @return empty if {@code jpmem.heap} is not set
     * @throws IllegalArgumentException with a one-line message naming the option, for a bad value or
     *     a file that cannot be opened as a heap (left unmodified)
     */
    static synchronized Optional<ObjectSpace> open() {
        if (opened != null) {
            return Optional.of(ObjectSpace.of(opened));
        }
        Optional<Settings> settings = settings();
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Settings s = settings.get();
        PersistentHeap heap;
        try {
            heap = PersistentHeap.openOrCreate(s.path(), s.options());
        } catch (JpmemException e) {
            throw new IllegalArgumentException("-D" + PATH_PROPERTY + "=" + System.getProperty(PATH_PROPERTY) + ": "
                    + oneLine(e.getMessage()), e);
        }
        opened = heap;
        ObjectSpace.setDefault(heap);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("jpmem-default-heap-close").unstarted(DefaultHeap::close));
        return Optional.of(ObjectSpace.of(heap));
    }

    private static synchronized void close() {
        try {
            opened.close();
        } catch (RuntimeException e) {
            // A transaction still in progress at exit: the next open recovers it.
            System.err.println("jpmem: the default heap " + opened.path() + " was left for recovery: " + oneLine(e.getMessage()));
        }
    }

    /**
     * Checks the options at JVM startup: called by the load-time agent and by the runtime image's
     * class loader. A bad value, or an existing file that is not a usable heap, prints one line
     * naming the option on stderr and stops the JVM with exit code 1 before {@code main} runs.
     */
    public static void checkAtStartup() {
        try {
            Optional<Settings> settings = settings();
            if (settings.isPresent() && Files.exists(settings.get().path())) {
                try (PersistentHeap heap = PersistentHeap.openReadOnly(settings.get().path())) {
                    heap.path(); // opened read-only (left unmodified): it is a heap this version can use
                } catch (HeapOpenException e) {
                    if (e.reason() != HeapOpenException.Reason.LOCKED) {
                        throw new IllegalArgumentException("-D" + PATH_PROPERTY + "=" + System.getProperty(PATH_PROPERTY)
                                + ": " + oneLine(e.getMessage()));
                    }
                } catch (JpmemException e) {
                    throw new IllegalArgumentException("-D" + PATH_PROPERTY + "=" + System.getProperty(PATH_PROPERTY)
                            + ": " + oneLine(e.getMessage()));
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jpmem: " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ');
    }
}
