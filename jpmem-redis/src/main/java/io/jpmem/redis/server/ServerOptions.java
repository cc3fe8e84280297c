package io.jpmem.redis.server;

import io.jpmem.heap.LogSync;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the server runs: where it listens, its heap, and its limits.
 *
 * @param bind the address to listen on (loopback by default)
 * @param port the TCP port (0: any free port, printed at start)
 * @param heap the heap file, created if missing
 * @param heapSize the maximum size of a new heap
 * @param durability POWER: every acknowledged write survives power loss; PROCESS: a crash of the process
 * @param requirePass the password clients must AUTH with, if any
 * @param maxClients the most connections at once
 * @param recoveryGc whether opening after a crash runs the recovery GC
 * @param databases the number of databases (SELECT 0..n-1)
 * @param maxBulkLength Redis's proto-max-bulk-len
 * @param dir the directory of the RDB file SAVE and BGSAVE write (Redis's {@code dir})
 * @param dbFilename the RDB file's name in {@code dir} (Redis's {@code dbfilename})
 * @param importRdb an RDB file to fill the (new, empty) heap from before serving, if any
 * @param appendFsync with {@code POWER} on ordinary storage (a write-ahead log): when a write is made
 *     durable, as Redis's {@code appendfsync} (always: before its reply)
 */
public record ServerOptions(String bind, int port, Path heap, long heapSize, Durability durability,
                            Optional<String> requirePass, int maxClients, boolean recoveryGc, int databases,
                            long maxBulkLength, Path dir, String dbFilename, Optional<Path> importRdb,
                            LogSync appendFsync) {

    /** Options with {@code appendfsync always}. */
    public ServerOptions(String bind, int port, Path heap, long heapSize, Durability durability,
                         Optional<String> requirePass, int maxClients, boolean recoveryGc, int databases,
                         long maxBulkLength, Path dir, String dbFilename, Optional<Path> importRdb) {
        this(bind, port, heap, heapSize, durability, requirePass, maxClients, recoveryGc, databases, maxBulkLength, dir,
                dbFilename, importRdb, LogSync.ALWAYS);
    }
}
