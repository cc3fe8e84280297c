package io.jpmem.redis.server;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.CommandTable;
import io.jpmem.redis.command.ConfigParameter;
import io.jpmem.redis.command.ConfigRegistry;
import io.jpmem.redis.command.ConfigValues;
import io.jpmem.redis.command.Dispatcher;
import io.jpmem.redis.command.RedisCommands;
import io.jpmem.redis.command.ServerContext;
import io.jpmem.redis.rdb.RdbSaves;
import io.jpmem.redis.command.Watches;
import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.replication.Replication;
import io.jpmem.redis.replication.ReplicationMaster;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * What the commands see of the server ({@link ServerContext}): the command table, the dataset,
 * the configuration parameters and INFO, wired once at start. The network side (the event loop)
 * gives it the port and the number of connections; it gives the loop the round executor.
 */
final class ServerCore implements ServerContext {

    private final ServerOptions options;
    private final PersistentHeap heap;
    private final CommandTable commands = new CommandTable();
    private final ConfigRegistry configuration = new ConfigRegistry();
    private final Dispatcher dispatcher;
    private final Dataset dataset;
    private final ServerStats stats = new ServerStats();
    private final RoundExecutor executor;
    private final ServerInfo info;
    private final Replication replication;
    /** SAVE and BGSAVE; a background save advances a slice per event-loop iteration. */
    private final RdbSaves saves;
    private volatile boolean shutdownRequested;
    /** CONFIG SET requirepass / maxclients change these; the options keep what the server started with. */
    private Optional<String> requirePass;
    private long maxClients;
    /** The configuration file the server started with (CONFIG REWRITE writes into it), or null. */
    private java.nio.file.Path configFile;

    ServerCore(ServerOptions options, PersistentHeap heap, IntSupplier port, IntSupplier connectedClients) {
        this(options, heap, port, connectedClients, new io.jpmem.redis.replication.ReplicaLink() {
            @Override
            public void send(io.jpmem.redis.command.ClientState client, java.nio.ByteBuffer bytes) {
            }

            @Override
            public void close(io.jpmem.redis.command.ClientState client) {
            }
        });
    }

    ServerCore(ServerOptions options, PersistentHeap heap, IntSupplier port, IntSupplier connectedClients,
               io.jpmem.redis.replication.ReplicaLink links) {
        this.options = options;
        this.heap = heap;
        this.requirePass = options.requirePass();
        this.maxClients = options.maxClients();
        this.dispatcher = new Dispatcher(this, new Watches());
        this.dataset = Dataset.open(heap, options.databases());
        this.saves = new RdbSaves(dataset, options.dir(), options.dbFilename());
        RedisCommands.registerAll(commands, dispatcher, configuration);
        this.executor = new RoundExecutor(heap, dispatcher, stats, this);
        dataset.expiryListener(dispatcher::expired);
        this.replication = new Replication(heap, dataset, dispatcher, new ReplicationMaster(heap, dataset, options.dir(), links),
                links, options.dir(), port);
        ReplicationMaster master = replication.master();
        executor.feed(new RoundExecutor.StreamFeed() {
            @Override
            public void prepare(java.util.List<io.jpmem.redis.command.ExecutedWrite> writes) {
                master.prepare(writes);
                if (replication.replica() != null) {
                    replication.replica().prepare();
                }
            }

            @Override
            public void publish() {
                master.publish();
                if (replication.replica() != null) {
                    replication.replica().publish();
                }
            }

            @Override
            public void discard() {
                master.discard();
                if (replication.replica() != null) {
                    replication.replica().discard();
                }
            }
        });
        this.info = new ServerInfo(options, heap, stats, port, connectedClients, dispatcher.blocking()::blockedClients,
                () -> maxClients, saves);
        info.replication(replication::info, replication.master()::statsInfo);
        registerParameters(port);
    }

    private void registerParameters(IntSupplier port) {
        String restart = "jpmem-redis sets it when it starts (command line or config file)";
        String replicationFixed = "jpmem-redis keeps Redis's default";
        configuration.register(ConfigParameter.fixed("bind", options::bind, restart))
                .register(ConfigParameter.fixed("port", () -> Integer.toString(port.getAsInt()), restart))
                .register(ConfigParameter.immutable("databases", () -> Integer.toString(options.databases())))
                .register(ConfigParameter.mutable("maxclients", () -> Long.toString(maxClients), value -> {
                    long n = ConfigValues.integer(value, 1, 4294967295L);
                    return () -> maxClients = n;
                }))
                .register(ConfigParameter.mutable("requirepass", () -> requirePass.orElse(""), value -> {
                    Optional<String> password = value.isEmpty() ? Optional.empty() : Optional.of(value);
                    return () -> requirePass = password; // connections already authenticated stay so, as in Redis
                }))
                .register(ConfigParameter.fixed("proto-max-bulk-len", () -> Long.toString(options.maxBulkLength()), restart))
                .register(ConfigParameter.fixed("appendonly", () -> "no", "every write is durable in the heap when acknowledged"))
                .register(ConfigParameter.fixed("save", () -> "", "the dataset lives in the heap, there are no snapshots to schedule"))
                .register(ConfigParameter.fixed("maxmemory", () -> Long.toString(heap.maxByteSize()),
                        "the heap's size is fixed when it is created (jpmem-heap-size)"))
                .register(ConfigParameter.fixed("dir", () -> options.dir().toAbsolutePath().toString(), restart))
                .register(ConfigParameter.fixed("dbfilename", options::dbFilename, restart))
                .register(ConfigParameter.fixed("jpmem-heap", () -> options.heap().toAbsolutePath().toString(), restart))
                .register(ConfigParameter.fixed("repl-backlog-size",
                        () -> Integer.toString(replication.master().backlogSize()), replicationFixed))
                .register(ConfigParameter.fixed("replica-read-only", () -> "yes", "a replica of jpmem-redis is read-only"))
                .register(ConfigParameter.fixed("repl-ping-replica-period",
                        () -> Integer.toString(replication.master().pingPeriod()), replicationFixed))
                .register(ConfigParameter.fixed("jpmem-durability",
                        () -> heap.durability().name().toLowerCase(Locale.ROOT), restart))
                .register(ConfigParameter.fixed("appendfsync", () -> ServerInfo.appendFsync(heap), restart));
    }

    RoundExecutor executor() {
        return executor;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    ServerStats stats() {
        return stats;
    }

    /** {@return whether SHUTDOWN ran} */
    boolean shutdownRequested() {
        return shutdownRequested;
    }

    @Override
    public Optional<String> requirePass() {
        return requirePass;
    }

    /** {@return the most connections at once (CONFIG SET maxclients changes it)} */
    long maxClients() {
        return maxClients;
    }

    /** The configuration file the server was started with, for CONFIG REWRITE. */
    void configFile(java.nio.file.Path file) {
        this.configFile = file;
    }

    @Override
    public void resetStatistics() {
        stats.reset();
    }

    @Override
    public void rewriteConfiguration() {
        if (configFile == null) {
            ServerContext.super.rewriteConfiguration();
        }
        try {
            ConfigFile.rewrite(configFile, configuration);
        } catch (java.io.IOException e) {
            throw new io.jpmem.redis.command.CommandError("ERR Rewriting config file: " + e.getMessage());
        }
    }

    @Override
    public CommandTable commands() {
        return commands;
    }

    @Override
    public ConfigRegistry configuration() {
        return configuration;
    }

    @Override
    public List<String[]> config(String pattern) {
        List<String[]> found = new ArrayList<>();
        for (ConfigParameter p : configuration.matching(pattern)) {
            found.add(new String[] {p.name(), p.value().get()});
        }
        return found;
    }

    @Override
    public String info(String section) {
        return info.render(section);
    }

    @Override
    public void shutdown() {
        shutdownRequested = true;
    }

    @Override
    public int databases() {
        return options.databases();
    }

    @Override
    public Replication replication() {
        return replication;
    }

    @Override
    public RdbSaves saves() {
        return saves;
    }

    @Override
    public Dataset dataset() {
        return dataset;
    }

    @Override
    public long maxBulkLength() {
        return options.maxBulkLength();
    }
}
