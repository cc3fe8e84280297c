package io.jpmem.redis.server;

import io.jpmem.heap.HeapFullException;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.command.ParsedCommand;
import io.jpmem.redis.data.Dataset;
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
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's one thread, as in Redis: accept, read, parse, then hand the round of commands read
 * from every client to the {@link RoundExecutor} (which runs them in one transaction and delivers
 * their replies after the commit), and write the replies out. Each command's name is looked up
 * once, here, when it is taken from the parser. Ten times a second it runs the active expiry.
 * A blocked client (BLPOP...) is neither parsed nor run until it is served, unblocked or times
 * out; the loop sleeps at most until the nearest timeout.
 */
final class EventLoop implements AutoCloseable {

    /** At most this many commands of one client per round, so one pipeline cannot starve the others. */
    private static final int COMMANDS_PER_CLIENT_PER_ROUND = 1024;
    /** A client whose unsent replies exceed this is not read from until they drain. */
    private static final long OUTPUT_HIGH_WATER = 64L << 20;

    private final ServerOptions options;
    private final PersistentHeap heap;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final ServerCore core;
    private static final System.Logger LOG = System.getLogger("io.jpmem.redis");

    private long nextExpireCycle;
    /** Said once per run: the heap was too full for active expiry to delete a key. */
    private boolean expiryFullWarned;
    private final Map<SocketChannel, Connection> connections = new LinkedHashMap<>();
    private final Map<ClientState, Connection> byClient = new IdentityHashMap<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] readBytes = new byte[64 * 1024];
    private long nextClientId = 1;
    private volatile boolean running = true;
    /** Whether some client has received bytes not yet parsed (more than a round's worth). */
    private boolean backlog;
    private final RoundExecutor.Delivery delivery = new RoundExecutor.Delivery() {
        @Override
        public void send(ClientState client, byte[] bytes) {
            EventLoop.this.send(client, bytes);
        }

        @Override
        public void defer(ClientState client, ParsedCommand command) {
            Connection c = byClient.get(client);
            if (c != null) {
                c.deferred.addLast(command);
            }
        }
    };

    /** How replication reaches the connections (stream bytes, sync replies, WAIT replies). */
    private final io.jpmem.redis.replication.ReplicaLink links = new io.jpmem.redis.replication.ReplicaLink() {
        @Override
        public void send(ClientState client, ByteBuffer bytes) {
            Connection c = byClient.get(client);
            if (c != null) {
                c.send(bytes);
            }
        }

        @Override
        public void close(ClientState client) {
            Connection c = byClient.get(client);
            if (c != null) {
                c.closing = true;
            }
        }
    };

    EventLoop(ServerOptions options, PersistentHeap heap) throws IOException {
        this.options = options;
        this.heap = heap;
        this.core = new ServerCore(options, heap, this::port, connections::size, links); // before the socket: a heap that does not open binds nothing
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

    /** {@return the commands' view of the server (for tests and extensions wired at start)} */
    ServerCore core() {
        return core;
    }

    /** Runs until SHUTDOWN or {@link #stop()}. */
    void run() throws IOException {
        while (running && !core.shutdownRequested()) {
            if (backlog || core.saves().inProgress()) {
                selector.selectNow(); // commands already received wait to be parsed, or a BGSAVE goes on: do not sleep
            } else {
                selector.select(sleepMillis());
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
            if (core.replication().master().syncsRequested()) {
                core.replication().master().serveSyncs(); // between rounds: each sync starts where the stream is now
                flushAll();
            }
            if (core.replication().master().cron()) {
                flushAll();
            }
            if (core.replication().replica() != null && core.replication().replica().step(this::attachMaster)) {
                flushAll();
            }
            if (core.executor().expireBlocked(System.nanoTime(), delivery)) {
                flushAll();
            }
            activeExpiry();
            core.saves().step();
        }
    }

    /** {@return how long select may wait: 100 ms, or less when a blocked client's timeout comes sooner} */
    private long sleepMillis() {
        long next = core.dispatcher().blocking().nextDeadline();
        if (next == Long.MAX_VALUE) {
            return 100;
        }
        long millis = (next - System.nanoTime() + 999_999) / 1_000_000;
        return Math.max(1, Math.min(100, millis));
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
        Dataset dataset = core.dataset();
        boolean any = false;
        for (int db = 0; db < dataset.databases() && !any; db++) {
            any = !dataset.expires(db).isEmpty();
        }
        if (any) {
            try {
                if (core.executor().maintenance(() -> dataset.expireCycle(200)) > 0) {
                    flushAll(); // the DELs of the expired keys, to the replicas
                }
            } catch (HeapFullException full) {
                expireOneAtATime(dataset);
            } catch (RuntimeException | VirtualMachineError e) { // expiry must never stop the server
                LOG.log(System.Logger.Level.ERROR, "active expiry failed; it is tried again in 100 ms", e);
            }
        }
    }

    /**
     * Active expiry on a full heap: deleting needs a little log space, and 200 deletions in one
     * transaction may not find it, so expired keys go one per transaction, each freeing room for the
     * next. A key that cannot be deleted even alone is left for the next cycle (or for lazy expiry).
     */
    private void expireOneAtATime(Dataset dataset) {
        // expireCycle(1) looks at a few buckets only: finding nothing there does not mean nothing is
        // due, so the fallback stops after a run of empty looks, not at the first one
        int deleted = 0;
        for (int emptyLooks = 0; deleted < 200 && emptyLooks < 50; ) {
            try {
                int n = core.executor().maintenance(() -> dataset.expireCycle(1));
                deleted += n;
                emptyLooks = n == 0 ? emptyLooks + 1 : 0;
            } catch (HeapFullException full) {
                if (!expiryFullWarned) {
                    expiryFullWarned = true;
                    LOG.log(System.Logger.Level.WARNING, "the heap is too full to delete an expired key; expiry"
                            + " goes on when space is freed: " + full.getMessage());
                }
                break;
            }
        }
        if (deleted > 0) {
            flushAll(); // the DELs of the expired keys, to the replicas
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
            if (connections.size() >= core.maxClients()) {
                channel.write(ByteBuffer.wrap("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII)));
                channel.close();
                continue;
            }
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            ClientState state = new ClientState(nextClientId++, String.valueOf(channel.getRemoteAddress()),
                    core.requirePass().isEmpty());
            Connection connection = new Connection(channel, key, state, options.maxBulkLength());
            key.attach(connection);
            connections.put(channel, connection);
            byClient.put(state, connection);
        }
    }

    /** A replica's handshake with its master finished: the socket becomes the master's connection. */
    private ClientState attachMaster(SocketChannel channel) throws IOException {
        channel.socket().setTcpNoDelay(true);
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        ClientState state = new ClientState(nextClientId++, String.valueOf(channel.getRemoteAddress()), true);
        state.markFromMaster();
        Connection connection = new Connection(channel, key, state, options.maxBulkLength());
        connection.master = true;
        key.attach(connection);
        connections.put(channel, connection);
        byClient.put(state, connection);
        return state;
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
        if (connections.remove(connection.channel) == null) {
            return;
        }
        byClient.remove(connection.state);
        core.dispatcher().forget(connection.state);
        core.replication().forget(connection.state);
        connection.key.cancel();
        try {
            connection.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void runRound() {
        List<RoundExecutor.Invocation> round = new ArrayList<>();
        boolean more = false;
        for (Connection c : connections.values()) {
            if (c.closing || c.queuedBytes() > OUTPUT_HIGH_WATER) {
                continue;
            }
            if (c.state.blocked()) {
                c.waitedWhileBlocked = true; // its input waits in the parser until it is served
                continue;
            }
            while (!c.deferred.isEmpty()) {
                round.add(new RoundExecutor.Invocation(c.state, c.deferred.poll()));
            }
            c.waitedWhileBlocked = false;
            more |= c.parse(COMMANDS_PER_CLIENT_PER_ROUND);
            if (c.master && c.parsedBytes > 0 && core.replication().replica() != null) {
                core.replication().replica().streamParsed(c.parsedBytes);
                c.parsedBytes = 0;
            }
            while (!c.pending.isEmpty()) {
                ParsedCommand command = ParsedCommand.of(core.commands(), c.pending.poll());
                round.add(new RoundExecutor.Invocation(c.state, command));
                if (command.name().equals("quit")) {
                    c.pending.clear(); // as Redis: nothing pipelined after QUIT runs
                    break;
                }
            }
        }
        if (!round.isEmpty()) {
            core.executor().execute(round, delivery);
        }
        for (Connection c : connections.values()) {
            // a client served in this round may have commands given back or input that arrived while it waited
            more |= !c.state.blocked() && (!c.deferred.isEmpty() || c.waitedWhileBlocked);
        }
        backlog = more;
        flushAll();
    }

    /** Writes what every connection has queued (and closes those that are done). */
    private void flushAll() {
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

    /** Queues bytes for a client (a reply, or a message pushed to it); a client closing after its reply reads nothing more. */
    private void send(ClientState client, byte[] bytes) {
        Connection c = byClient.get(client);
        if (c == null || c.master) {
            return; // disconnected meanwhile; or this server's master, which gets no replies
        }
        c.send(bytes);
        if (client.closeAfterReply()) {
            c.closing = true;
            c.pending.clear();
        }
    }

    @Override
    public void close() throws IOException {
        core.saves().close();
        for (Connection c : List.copyOf(connections.values())) {
            close(c);
        }
        server.close();
        selector.close();
    }
}
