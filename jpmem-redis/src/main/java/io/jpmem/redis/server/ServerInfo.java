package io.jpmem.redis.server;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.redis.command.ConnectionCommands;
import java.util.Locale;
import java.util.function.IntSupplier;

/** Renders INFO's sections from the server's options, heap, connections and counters. */
final class ServerInfo {

    private final ServerOptions options;
    private final PersistentHeap heap;
    private final ServerStats stats;
    private final IntSupplier port;
    private final IntSupplier connectedClients;
    private final IntSupplier blockedClients;
    private final java.util.function.LongSupplier maxClients;
    private final io.jpmem.redis.rdb.RdbSaves saves;
    private final long startedAt = System.currentTimeMillis();
    private java.util.function.Supplier<String> replication = () -> "role:master\r\nconnected_slaves:0\r\n";

    private java.util.function.Supplier<String> replicationStats = () -> "";

    /** Sets where INFO replication's lines, and INFO stats's sync_* lines, come from. */
    void replication(java.util.function.Supplier<String> lines, java.util.function.Supplier<String> stats) {
        this.replication = lines;
        this.replicationStats = stats;
    }

    ServerInfo(ServerOptions options, PersistentHeap heap, ServerStats stats, IntSupplier port, IntSupplier connectedClients,
               IntSupplier blockedClients, java.util.function.LongSupplier maxClients, io.jpmem.redis.rdb.RdbSaves saves) {
        this.saves = saves;
        this.maxClients = maxClients;
        this.blockedClients = blockedClients;
        this.options = options;
        this.heap = heap;
        this.stats = stats;
        this.port = port;
        this.connectedClients = connectedClients;
    }

    /** {@return the INFO text of {@code section} (lower case), or of the default sections when it is empty or all/everything/default} */
    String render(String section) {
        StringBuilder out = new StringBuilder();
        boolean all = section.isEmpty() || section.equals("all") || section.equals("everything") || section.equals("default");
        if (all || section.equals("server")) {
            out.append("# Server\r\nredis_version:").append(ConnectionCommands.REDIS_VERSION).append("\r\n")
                    .append("redis_mode:standalone\r\nos:").append(System.getProperty("os.name")).append("\r\n")
                    .append("process_id:").append(ProcessHandle.current().pid()).append("\r\n")
                    .append("tcp_port:").append(port.getAsInt()).append("\r\n")
                    .append("uptime_in_seconds:").append((System.currentTimeMillis() - startedAt) / 1000).append("\r\n")
                    .append("executable:jpmem-redis\r\n\r\n");
        }
        if (all || section.equals("clients")) {
            out.append("# Clients\r\nconnected_clients:").append(connectedClients.getAsInt()).append("\r\n")
                    .append("maxclients:").append(maxClients.getAsLong()).append("\r\n")
                    .append("blocked_clients:").append(blockedClients.getAsInt()).append("\r\n\r\n");
        }
        if (all || section.equals("persistence")) {
            out.append("# Persistence\r\nloading:0\r\naof_enabled:0\r\n").append(saves.info())
                    .append("jpmem_heap:").append(options.heap().toAbsolutePath()).append("\r\n")
                    .append("jpmem_durability:").append(heap.durability().name().toLowerCase(Locale.ROOT)).append("\r\n")
                    .append("jpmem_persistence:").append(heap.flushMechanism().label()).append("\r\n")
                    .append("jpmem_appendfsync:").append(appendFsync(heap)).append("\r\n")
                    .append(logInfo(heap))
                    .append("jpmem_recovery:").append(heap.recoveryReport().summary().replace("\n", " ")).append("\r\n\r\n");
        }
        if (all || section.equals("replication")) {
            out.append("# Replication\r\n").append(replication.get()).append("\r\n");
        }
        if (all || section.equals("stats")) {
            out.append("# Stats\r\ntotal_commands_processed:").append(stats.commandsProcessed).append("\r\n")
                    .append("jpmem_group_commits:").append(stats.groupCommits).append("\r\n")
                    .append("jpmem_group_commit_rollbacks:").append(stats.rollbacks).append("\r\n")
                    .append(replicationStats.get()).append("\r\n");
        }
        return out.toString();
    }

    /**
     * {@return the durability level in force, named as Redis's {@code appendfsync}} "always" also on
     * persistent memory (every commit is flushed before its reply); "no" for PROCESS heaps without a log.
     */
    static String appendFsync(PersistentHeap heap) {
        return HeapSpi.logStatus(heap).map(s -> s.sync().name().toLowerCase(Locale.ROOT))
                .orElse(heap.durability() == io.jpmem.persist.Durability.POWER ? "always" : "no");
    }

    private static String logInfo(PersistentHeap heap) {
        return HeapSpi.logStatus(heap).map(s -> "jpmem_wal_records:" + s.records() + "\r\njpmem_wal_groups:" + s.groups()
                + "\r\njpmem_wal_checkpoints:" + s.checkpoints() + "\r\njpmem_wal_replayed_at_open:" + s.replayed()
                + "\r\n").orElse("");
    }
}
