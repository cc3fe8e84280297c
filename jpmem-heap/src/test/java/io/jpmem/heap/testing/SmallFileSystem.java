package io.jpmem.heap.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test, to fill a file system for real. Needs root (CI runs as root);
 * elsewhere {@link #mount} fails the test with what it needs, rather than skipping it.
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path dir;

    private SmallFileSystem(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code bytes} at {@code dir} (created if missing). */
    public static SmallFileSystem mount(Path dir, long bytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
        return new SmallFileSystem(dir);
    }

    /** {@return where it is mounted} */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        try {
            run("umount", "-l", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + dir, e);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (the full-file-system tests need"
                    + " root, as CI has, to mount a small tmpfs): " + out);
        }
    }
}
