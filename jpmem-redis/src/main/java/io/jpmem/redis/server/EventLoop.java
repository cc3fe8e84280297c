package io.jpmem.redis.server;

import io.jpmem.heap.HeapFullException;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.command.CommandSpec;
import io.jpmem.redis.command.CommandTable;
import io.jpmem.redis.command.ConnectionCommands;
import io.jpmem.redis.command.Dispatcher;
import io.jpmem.redis.command.Glob;
import io.jpmem.redis.command.RedisCommands;
import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.command.ServerContext;
import io.jpmem.redis.command.Watches;
import io.jpmem.redis.protocol.RespWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server's one thread, as in Redis: accept, read, parse, run, reply.
 *
 * <p><b>Group commit.</b> All commands read in one round, from every client, run in one heap
 * transaction; their replies are queued only after it commits, so no reply leaves before its
 * command is durable (PROCESS: in the mapped file; POWER: flushed and fenced). If the transaction
 * fails — the heap is full, or a command failed unexpectedly — it rolls back as a whole, the
 * clients' connection state is restored, and the round's commands run again one transaction each:
 * the culprit gets its error reply ({@code -OOM} for a full heap) with nothing of it written, the
 * others succeed. WATCH state follows the same rule ({@link Watches#begin}): a rolled-back round or
 * command leaves no watcher marked dirty by it. A round without writes runs without a transaction.
 */
final class EventLoop implements ServerContext, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jpmem.redis");
    /** At most this many commands of one client per round, so one pipeline cannot starve the others. */
    private static final int COMMANDS_PER_CLIENT_PER_ROUND = 1024;
    /** A client whose unsent replies exceed this is not read from until they drain. */
    private static final long OUTPUT_HIGH_WATER = 64L << 20;

    private final ServerOptions options;
    private final PersistentHeap heap;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final CommandTable commands = new CommandTable();
    private final Dispatcher dispatcher;
    private final Dataset dataset;
    /** SAVE and BGSAVE; a background save advances a slice per loop iteration ({@link #run}). */
    private final io.jpmem.redis.rdb.RdbSaves saves;
    private long nextExpireCycle;
    private final Map<SocketChannel, Connection> connections = new LinkedHashMap<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] readBytes = new byte[64 * 1024];
    private final long startedAt = System.currentTimeMillis();
    private long nextClientId = 1;
    private volatile boolean running = true;
    private long commandsProcessed;
    private long rollbacks;
    private long groupCommits;
    /** Whether some client has received bytes not yet parsed (more than a round's worth). */
    private boolean backlog;

    EventLoop(ServerOptions options, PersistentHeap heap) throws IOException {
        this.options = options;
        this.heap = heap;
        this.dispatcher = new Dispatcher(this, new Watches());
        this.dataset = Dataset.open(heap, options.databases());
        this.saves = new io.jpmem.redis.rdb.RdbSaves(dataset, options.dir(), options.dbFilename());
        RedisCommands.registerAll(commands, dispatcher);
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(options.bind(), options.port()), 511);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** {@return the port listened on} */
    int port() {
        return server.socket().getLocalPort();
    }

    /** Runs until SHUTDOWN or {@link #stop()}. */
    void run() throws IOException {
        while (running) {
            if (backlog || saves.inProgress()) {
                selector.selectNow(); // commands already received wait to be parsed, or a BGSAVE goes on: do not sleep
            } else {
                selector.select(100);
            }
            for (SelectionKey key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept();
                    continue;
                }
                Connection connection = (Connection) key.attachment();
                if (key.isReadable()) {
                    read(connection);
                }
                if (key.isValid() && key.isWritable()) {
                    write(connection);
                }
            }
            selector.selectedKeys().clear();
            runRound();
            activeExpiry();
            saves.step();
        }
    }

    /**
     * Redis's active expiry, ten times a second: a bounded look at keys with a TTL in each
     * database, deleting the expired ones in one transaction (lazy expiry handles the keys met by
     * commands). Touches WATCHed keys like any write.
     */
    private void activeExpiry() {
        long now = System.currentTimeMillis();
        if (now < nextExpireCycle) {
            return;
        }
        nextExpireCycle = now + 100;
        boolean any = false;
        for (int db = 0; db < dataset.databases() && !any; db++) {
            any = !dataset.expires(db).isEmpty();
        }
        if (any) {
            heap.transaction(tx -> dataset.expireCycle(200));
        }
    }

    /** Stops the loop from another thread (tests, signals). */
    void stop() {
        running = false;
        selector.wakeup();
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            if (connections.size() >= options.maxClients()) {
                channel.write(ByteBuffer.wrap("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII)));
                channel.close();
                continue;
            }
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            ClientState state = new ClientState(nextClientId++, String.valueOf(channel.getRemoteAddress()),
                    options.requirePass().isEmpty());
            Connection connection = new Connection(channel, key, state, options.maxBulkLength());
            key.attach(connection);
            connections.put(channel, connection);
        }
    }

    private void read(Connection connection) {
        try {
            readBuffer.clear();
            int n = connection.channel.read(readBuffer);
            if (n < 0) {
                close(connection);
                return;
            }
            readBuffer.flip();
            readBuffer.get(readBytes, 0, n);
            connection.parser.feed(readBytes, 0, n);
        } catch (IOException e) {
            close(connection);
        }
    }

    private void write(Connection connection) {
        try {
            if (connection.flush()) {
                afterFlush(connection);
            }
        } catch (IOException e) {
            close(connection);
        }
    }

    private void afterFlush(Connection connection) {
        if (connection.closing) {
            close(connection);
            return;
        }
        connection.key.interestOps(SelectionKey.OP_READ);
    }

    private void close(Connection connection) {
        connections.remove(connection.channel);
        dispatcher.watches().unwatchAll(connection.state);
        connection.key.cancel();
        try {
            connection.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One invocation in a round. */
    private record Invocation(Connection connection, List<byte[]> args) {}

    private static final class AbortRound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbortRound(RuntimeException cause) {
            super(cause);
        }
    }

    private void runRound() {
        List<Invocation> round = new ArrayList<>();
        boolean more = false;
        for (Connection c : connections.values()) {
            if (c.closing || c.queuedBytes() > OUTPUT_HIGH_WATER) {
                continue;
            }
            more |= c.parse(COMMANDS_PER_CLIENT_PER_ROUND);
            while (!c.pending.isEmpty()) {
                round.add(new Invocation(c, c.pending.poll()));
            }
        }
        backlog = more;
        if (!round.isEmpty()) {
            execute(round);
        }
        for (Connection c : List.copyOf(connections.values())) {
            if (c.protocolError != null && c.pending.isEmpty() && !c.closing) {
                RespWriter w = new RespWriter();
                c.send(w.error(c.protocolError).drain());
                c.closing = true;
            }
            if (c.hasOutput() || c.closing) {
                write(c);
                if (c.hasOutput() && c.key.isValid()) {
                    c.key.interestOps(c.queuedBytes() > OUTPUT_HIGH_WATER ? SelectionKey.OP_WRITE
                            : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
            }
        }
    }

    private void execute(List<Invocation> round) {
        commandsProcessed += round.size();
        byte[][] replies = new byte[round.size()][];
        if (round.stream().noneMatch(this::mayWrite)) {
            for (int i = 0; i < round.size(); i++) {
                replies[i] = runOne(round.get(i), false);
            }
            deliver(round, replies);
            return;
        }
        Map<Connection, ClientState.Snapshot> before = new HashMap<>();
        round.forEach(inv -> before.computeIfAbsent(inv.connection(), c -> c.state.snapshot()));
        groupCommits++;
        Watches watches = dispatcher.watches();
        try {
            watches.begin();
            heap.transaction(tx -> {
                for (int i = 0; i < round.size(); i++) {
                    replies[i] = runOne(round.get(i), true);
                }
            });
            watches.commit();
        } catch (HeapFullException | AbortRound e) {
            rollbacks++;
            watches.rollback(); // no watcher stays dirty from a write that was rolled back
            before.forEach((c, s) -> c.state.restore(s));
            for (int i = 0; i < round.size(); i++) {
                Invocation inv = round.get(i);
                int at = i;
                ClientState.Snapshot s = inv.connection().state.snapshot();
                try {
                    watches.begin();
                    heap.transaction(tx -> replies[at] = runOne(inv, true));
                    watches.commit();
                } catch (HeapFullException full) {
                    watches.rollback();
                    undo(inv, s);
                    replies[at] = new RespWriter().error("OOM command not allowed when used memory > 'maxmemory'.").drain();
                } catch (AbortRound failed) {
                    watches.rollback();
                    undo(inv, s);
                    LOG.log(System.Logger.Level.ERROR, "command failed: " + name(inv), failed.getCause());
                    replies[at] = new RespWriter().error("ERR internal error: " + failed.getCause()).drain();
                }
            }
        }
        deliver(round, replies);
    }

    /** Puts a client back as it was before a failed command; a failed EXEC still ends its MULTI, as in Redis. */
    private void undo(Invocation inv, ClientState.Snapshot before) {
        ClientState state = inv.connection().state;
        state.restore(before);
        if (name(inv).equals("exec") && state.inMulti()) {
            state.endMulti();
            dispatcher.watches().unwatchAll(state);
        }
    }

    private boolean mayWrite(Invocation inv) {
        if (inv.connection().state.inMulti()) {
            return true;
        }
        String name = new String(inv.args().get(0), StandardCharsets.UTF_8); // find() takes any case
        return name.equalsIgnoreCase("exec") || commands.find(name).map(s -> s.is(CommandSpec.Flag.WRITE)).orElse(false);
    }

    private static String name(Invocation inv) {
        return new String(inv.args().get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }

    private byte[] runOne(Invocation inv, boolean inTransaction) {
        RespWriter reply = new RespWriter();
        reply.setProtocol(inv.connection().state.protocol());
        try {
            dispatcher.execute(inv.connection().state, inv.args(), reply);
        } catch (HeapFullException e) {
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError e) { // a bug in one command must not stop the server
            if (inTransaction) {
                throw new AbortRound(e instanceof RuntimeException re ? re : new IllegalStateException(e));
            }
            LOG.log(System.Logger.Level.ERROR, "command failed: " + name(inv), e);
            return new RespWriter().error("ERR internal error: " + e).drain();
        }
        return reply.drain();
    }

    private void deliver(List<Invocation> round, byte[][] replies) {
        for (int i = 0; i < round.size(); i++) {
            Connection c = round.get(i).connection();
            c.send(replies[i]);
            if (c.state.closeAfterReply()) {
                c.closing = true;
                c.pending.clear();
            }
        }
    }

    @Override
    public void close() throws IOException {
        saves.close();
        for (Connection c : List.copyOf(connections.values())) {
            close(c);
        }
        server.close();
        selector.close();
    }

    // ---------------------------------------------------------------- ServerContext

    @Override
    public Optional<String> requirePass() {
        return options.requirePass();
    }

    @Override
    public CommandTable commands() {
        return commands;
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

    @Override
    public io.jpmem.redis.rdb.RdbSaves saves() {
        return saves;
    }

    @Override
    public void shutdown() {
        running = false;
    }

    private Map<String, String> configuration() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bind", options.bind());
        config.put("port", Integer.toString(port()));
        config.put("databases", Integer.toString(options.databases()));
        config.put("maxclients", Integer.toString(options.maxClients()));
        config.put("requirepass", options.requirePass().orElse(""));
        config.put("proto-max-bulk-len", Long.toString(options.maxBulkLength()));
        config.put("appendonly", "no");
        config.put("save", "");
        config.put("maxmemory", Long.toString(heap.maxByteSize()));
        config.put("dir", String.valueOf(options.heap().toAbsolutePath().getParent()));
        config.put("jpmem-heap", options.heap().toAbsolutePath().toString());
        config.put("jpmem-durability", heap.durability().name().toLowerCase(Locale.ROOT));
        return config;
    }

    @Override
    public List<String[]> config(String pattern) {
        List<String[]> found = new ArrayList<>();
        configuration().forEach((k, v) -> {
            if (Glob.matches(pattern.getBytes(StandardCharsets.UTF_8), k.getBytes(StandardCharsets.UTF_8), true)) {
                found.add(new String[] {k, v});
            }
        });
        return found;
    }

    @Override
    public String info(String section) {
        StringBuilder out = new StringBuilder();
        boolean all = section.isEmpty() || section.equals("all") || section.equals("everything") || section.equals("default");
        if (all || section.equals("server")) {
            out.append("# Server\r\nredis_version:").append(ConnectionCommands.REDIS_VERSION).append("\r\n")
                    .append("redis_mode:standalone\r\nos:").append(System.getProperty("os.name")).append("\r\n")
                    .append("process_id:").append(ProcessHandle.current().pid()).append("\r\n")
                    .append("tcp_port:").append(port()).append("\r\n")
                    .append("uptime_in_seconds:").append((System.currentTimeMillis() - startedAt) / 1000).append("\r\n")
                    .append("executable:jpmem-redis\r\n\r\n");
        }
        if (all || section.equals("clients")) {
            out.append("# Clients\r\nconnected_clients:").append(connections.size()).append("\r\n")
                    .append("maxclients:").append(options.maxClients()).append("\r\n\r\n");
        }
        if (all || section.equals("persistence")) {
            out.append("# Persistence\r\nloading:0\r\naof_enabled:0\r\n").append(saves.info())
                    .append("jpmem_heap:").append(options.heap().toAbsolutePath()).append("\r\n")
                    .append("jpmem_durability:").append(heap.durability().name().toLowerCase(Locale.ROOT)).append("\r\n")
                    .append("jpmem_recovery:").append(heap.recoveryReport().summary().replace("\n", " ")).append("\r\n\r\n");
        }
        if (all || section.equals("stats")) {
            out.append("# Stats\r\ntotal_commands_processed:").append(commandsProcessed).append("\r\n")
                    .append("jpmem_group_commits:").append(groupCommits).append("\r\n")
                    .append("jpmem_group_commit_rollbacks:").append(rollbacks).append("\r\n\r\n");
        }
        return out.toString();
    }
}
