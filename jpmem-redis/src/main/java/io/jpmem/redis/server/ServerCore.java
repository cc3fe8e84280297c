package io.jpmem.redis.server;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.CommandTable;
import io.jpmem.redis.command.ConfigParameter;
import io.jpmem.redis.command.ConfigRegistry;
import io.jpmem.redis.command.Dispatcher;
import io.jpmem.redis.command.RedisCommands;
import io.jpmem.redis.command.ServerContext;
import io.jpmem.redis.command.Watches;
import io.jpmem.redis.data.Dataset;
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
    private volatile boolean shutdownRequested;

    ServerCore(ServerOptions options, PersistentHeap heap, IntSupplier port, IntSupplier connectedClients) {
        this.options = options;
        this.heap = heap;
        this.dispatcher = new Dispatcher(this, new Watches());
        this.dataset = Dataset.open(heap, options.databases());
        RedisCommands.registerAll(commands, dispatcher, configuration);
        this.executor = new RoundExecutor(heap, dispatcher, stats, this);
        this.info = new ServerInfo(options, heap, stats, port, connectedClients);
        registerParameters(port);
    }

    private void registerParameters(IntSupplier port) {
        String restart = "it is set when the server starts";
        configuration.register(ConfigParameter.fixed("bind", options::bind, restart))
                .register(ConfigParameter.fixed("port", () -> Integer.toString(port.getAsInt()), restart))
                .register(ConfigParameter.fixed("databases", () -> Integer.toString(options.databases()), restart))
                .register(ConfigParameter.fixed("maxclients", () -> Integer.toString(options.maxClients()), restart))
                .register(ConfigParameter.fixed("requirepass", () -> options.requirePass().orElse(""), restart))
                .register(ConfigParameter.fixed("proto-max-bulk-len", () -> Long.toString(options.maxBulkLength()), restart))
                .register(ConfigParameter.fixed("appendonly", () -> "no", "every write is durable in the heap when acknowledged"))
                .register(ConfigParameter.fixed("save", () -> "", "the dataset lives in the heap, there are no snapshots to schedule"))
                .register(ConfigParameter.fixed("maxmemory", () -> Long.toString(heap.maxByteSize()),
                        "the heap's size is fixed when it is created (jpmem-heap-size)"))
                .register(ConfigParameter.fixed("dir", () -> String.valueOf(options.heap().toAbsolutePath().getParent()), restart))
                .register(ConfigParameter.fixed("jpmem-heap", () -> options.heap().toAbsolutePath().toString(), restart))
                .register(ConfigParameter.fixed("jpmem-durability",
                        () -> heap.durability().name().toLowerCase(Locale.ROOT), restart));
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
        return options.requirePass();
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
    public Dataset dataset() {
        return dataset;
    }

    @Override
    public long maxBulkLength() {
        return options.maxBulkLength();
    }
}
