package io.jpmem.redis.server;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.JpmemException;
import io.jpmem.heap.PersistentHeap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/jpmem-redis}: a Redis-compatible server whose dataset lives in a persistent heap. Options
 * in {@link ServerCommandLine}; exit status 0 after SHUTDOWN (the heap closed cleanly), 2 for a bad
 * command line, 1 if the heap cannot be opened or the port bound (one line on standard error).
 */
public final class RedisServer {

    private RedisServer() {}

    /** Runs the server until SHUTDOWN, then exits with the status above. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the server (or prints help or version); {@return the exit status} */
    static int run(String... args) {
        ServerCommandLine.Parsed parsed;
        try {
            parsed = ServerCommandLine.parse(args);
        } catch (ServerCommandLine.UsageException e) {
            System.err.println("jpmem-redis: " + e.getMessage());
            System.err.println("Run 'jpmem-redis --help' for the options.");
            return 2;
        }
        switch (parsed) {
            case ServerCommandLine.Help h -> System.out.print(ServerCommandLine.usage());
            case ServerCommandLine.Version v -> System.out.println(ServerCommandLine.VERSION);
            case ServerCommandLine.Serve serve -> {
                try {
                    serve(serve.options(), serve.configFile());
                } catch (JpmemException | IOException e) {
                    System.err.println("jpmem-redis: " + e.getMessage());
                    return 1;
                }
            }
        }
        return 0;
    }

    /**
     * With {@code --import-rdb}: fills the heap's (empty) dataset from the file, in one transaction.
     * {@return the heap}
     *
     * @throws IOException if the file cannot be read or is refused (the message says why; nothing was imported)
     */
    static PersistentHeap importRdb(ServerOptions options, PersistentHeap heap) throws IOException {
        if (options.importRdb().isEmpty()) {
            return heap;
        }
        Path file = options.importRdb().get();
        long start = System.nanoTime();
        try {
            io.jpmem.redis.rdb.RdbImport.Result r = io.jpmem.redis.rdb.RdbImport.importInto(
                    io.jpmem.redis.data.Dataset.open(heap, options.databases()), file,
                    line -> System.out.println("jpmem-redis: " + line));
            System.out.printf(Locale.ROOT, "jpmem-redis: imported %s: %d keys in %.1f s (%d already expired and %d empty skipped)%n",
                    file, r.keys(), (System.nanoTime() - start) / 1e9, r.expiredSkipped(), r.emptySkipped());
        } catch (io.jpmem.redis.rdb.RdbException e) {
            throw new IOException("--import-rdb " + file + ": " + e.getMessage() + "; nothing was imported", e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("--import-rdb " + file + ": no such file", e);
        }
        return heap;
    }

    private static void serve(ServerOptions options, Path configFile) throws IOException {
        CountDownLatch closed = new CountDownLatch(1);
        Path parent = options.heap().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            try (PersistentHeap persistentHeap = PersistentHeap.openOrCreate(options.heap(), HeapOptions.defaults()
                    .withDurability(options.durability()).withMaxByteSize(options.heapSize()).withRecoveryGc(options.recoveryGc())
                    .withLogSync(options.appendFsync()));
                 EventLoop loop = new EventLoop(options, importRdb(options, persistentHeap))) {
                if (configFile != null) {
                    loop.core().configFile(configFile.toAbsolutePath());
                }
                System.out.println("jpmem-redis: serving " + persistentHeap.path() + " (" + persistentHeap.durability()
                        .name().toLowerCase(Locale.ROOT) + ") on " + options.bind() + ":" + loop.port() + "; "
                        + persistentHeap.recoveryReport().summary());
                System.out.flush();
                // SIGTERM or Ctrl-C: stop the loop, then wait until the heap is closed; the JVM halts as
                // soon as its shutdown hooks return, which would leave the heap not cleanly shut down.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    loop.stop();
                    try {
                        closed.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "jpmem-redis-stop"));
                loop.run();
            }
            System.out.println("jpmem-redis: heap closed cleanly");
        } finally {
            closed.countDown();
        }
    }
}
