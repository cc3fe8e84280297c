package io.jpmem.redis.replication;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.data.ReplicationRecord;
import io.jpmem.redis.rdb.RdbException;
import io.jpmem.redis.rdb.RdbImport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replica side of replication: following one master.
 *
 * <p><b>Handshake and transfer</b> run on a thread of their own with blocking I/O, so clients go on
 * being served meanwhile: connect, PING, REPLCONF listening-port and capa psync2, then PSYNC with the
 * heap's replication id and offset (a restart of this server continues where it was). A
 * {@code +FULLRESYNC} brings an RDB, which the thread writes to a temporary file in {@code dir}.
 *
 * <p><b>Loading</b> is one heap transaction on the event loop ({@link RdbImport#replaceWith}):
 * every database emptied, the file loaded, the master's id and offset stored. A failure, or a
 * SIGKILL at any point, leaves the old dataset whole (recovery rolls the unfinished transaction
 * back). Then the socket becomes the master's connection in the event loop: its commands run in
 * the server's rounds as a client whose replies are dropped and whose writes a read-only replica
 * accepts; the stream bytes each round consumed are added to the offset inside the round's own
 * transaction ({@link #prepare}), so the offset always names exactly what the dataset holds.
 *
 * <p><b>Failures</b>: a master that answers the handshake with anything unexpected, sends an RDB
 * that does not load, sends a stream that does not parse, or goes silent during the handshake for
 * more than 60 s is disconnected, and the next attempt waits twice as long as the last (0.1 s up to
 * 5 s). REPLCONF ACK goes every second, and at once for a GETACK. Event-loop thread only, but for
 * the handshake thread, which touches nothing but its socket and its file.
 */
public final class ReplicaSide {

    private static final System.Logger LOG = System.getLogger("io.jpmem.redis");
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 60_000;

    /** The link's state, as ROLE words it. */
    public enum State { CONNECT, CONNECTING, SYNC, CONNECTED }

    /** Registers a socket that finished its handshake as the master's connection. */
    @FunctionalInterface
    public interface Attacher {
        /** {@return the client of the master's connection made of {@code channel}} */
        ClientState attach(SocketChannel channel) throws IOException;
    }

    /** What the handshake thread found: a full resync (rdb set) or a continuation. */
    private record Handshake(SocketChannel channel, String replid, long offset, Path rdb) {}

    private final PersistentHeap heap;
    private final Dataset dataset;
    private final ReplicationMaster master;
    private final ReplicaLink link;
    private final Path dir;
    private final String host;
    private final int port;
    private final int ourPort;
    private State state = State.CONNECT;
    private long nextAttemptMillis;
    private long backoffMillis = 100;
    private long attemptStartedMillis;
    private Thread thread;
    private volatile SocketChannel connecting;
    private final AtomicReference<Object> outcome = new AtomicReference<>();
    private ClientState masterClient;
    private long streamBytes;
    private long preparedBytes;
    private boolean ackNow;
    private long nextAckMillis;
    private long lastIoMillis = System.currentTimeMillis();
    private volatile boolean syncing;

    /** Follows {@code host:port}; {@code ourPort} is what REPLCONF listening-port says. */
    public ReplicaSide(PersistentHeap heap, Dataset dataset, ReplicationMaster master, ReplicaLink link, Path dir,
                       String host, int port, int ourPort) {
        this.heap = heap;
        this.dataset = dataset;
        this.master = master;
        this.link = link;
        this.dir = dir;
        this.host = host;
        this.port = port;
        this.ourPort = ourPort;
    }

    /** {@return the master's host} */
    public String host() {
        return host;
    }

    /** {@return the master's port} */
    public int port() {
        return port;
    }

    /** {@return the link's state} */
    public State state() {
        return state;
    }

    /** {@return whether {@code client} is the master's connection} */
    public boolean isMaster(ClientState client) {
        return client == masterClient;
    }

    // ---- the stream's offset, in the rounds' transactions ---------------------------------

    /** The event loop parsed {@code bytes} more of the master's stream, to run in the next round. */
    public void streamParsed(long bytes) {
        streamBytes += bytes;
        lastIoMillis = System.currentTimeMillis();
    }

    /** Inside a committing transaction: the stream bytes its commands came from are added to the offset. */
    public void prepare() {
        if (streamBytes == 0 || masterClient == null) {
            return;
        }
        ReplicationRecord r = master.record();
        r.offset(r.offset() + streamBytes);
        r.streamDb(masterClient.db());
        preparedBytes += streamBytes;
        streamBytes = 0;
    }

    /** After the commit. */
    public void publish() {
        preparedBytes = 0;
    }

    /** After a rollback: the bytes count again (their commands run again). */
    public void discard() {
        streamBytes += preparedBytes;
        preparedBytes = 0;
    }

    /** REPLCONF GETACK from the master: an ACK goes at the next turn (after the round committed). */
    public void getAck() {
        ackNow = true;
    }

    // ---- the link ------------------------------------------------------------------------------

    /**
     * The event loop's turn: starts a connection attempt when one is due, loads a transferred RDB,
     * attaches a finished handshake's socket, sends ACKs.
     *
     * @return whether it queued bytes
     */
    public boolean step(Attacher attacher) {
        long now = System.currentTimeMillis();
        switch (state) {
            case CONNECT -> {
                if (now >= nextAttemptMillis) {
                    begin();
                }
            }
            case CONNECTING, SYNC -> {
                Object done = outcome.getAndSet(null);
                if (done == null) {
                    if (now - attemptStartedMillis > HANDSHAKE_TIMEOUT_MILLIS) {
                        abortAttempt("the master did not finish the handshake in 60 s");
                    }
                    state = syncing ? State.SYNC : State.CONNECTING;
                    return false;
                }
                if (done instanceof Handshake h) {
                    finish(h, attacher);
                } else {
                    failed(String.valueOf(done));
                }
            }
            case CONNECTED -> {
                if (ackNow || now >= nextAckMillis) {
                    ackNow = false;
                    nextAckMillis = now + 1000;
                    link.send(masterClient, ByteBuffer.wrap(StreamEncoder.command(java.util.List.of(
                            StreamEncoder.bytes("REPLCONF"), StreamEncoder.bytes("ACK"),
                            StreamEncoder.bytes(Long.toString(master.offset()))))));
                    return true;
                }
            }
        }
        return false;
    }

    private void begin() {
        state = State.CONNECTING;
        syncing = false;
        attemptStartedMillis = System.currentTimeMillis();
        ReplicationRecord r = master.record();
        String replid = r.replid();
        long next = r.offset() + 1;
        outcome.set(null);
        thread = Thread.ofPlatform().daemon().name("jpmem-redis-replica-sync").start(() -> {
            try {
                outcome.set(handshake(replid, next));
            } catch (IOException | RuntimeException e) {
                SocketChannel c = connecting;
                if (c != null) {
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // failing anyway
                    }
                }
                outcome.set(host + ":" + port + ": " + e.getMessage());
            }
        });
    }

    /** On the handshake thread: everything up to the first stream byte. */
    private Handshake handshake(String replid, long next) throws IOException {
        SocketChannel channel = SocketChannel.open();
        connecting = channel;
        channel.connect(new InetSocketAddress(host, port));
        channel.socket().setTcpNoDelay(true);
        InputStream in = Channels.newInputStream(channel);
        OutputStream out = Channels.newOutputStream(channel);
        send(out, "PING");
        String pong = line(in);
        if (!pong.equals("+PONG") && !pong.startsWith("-NOAUTH")) {
            throw new IOException("unexpected reply to PING: " + pong);
        }
        send(out, "REPLCONF", "listening-port", Integer.toString(ourPort));
        expectOk(in, "REPLCONF listening-port");
        send(out, "REPLCONF", "capa", "psync2");
        expectOk(in, "REPLCONF capa");
        send(out, "PSYNC", replid, Long.toString(next));
        String reply = line(in);
        while (reply.isEmpty()) {
            reply = line(in); // newlines: the master keeps the link alive while it prepares
        }
        if (reply.startsWith("+CONTINUE")) {
            String id = reply.length() > "+CONTINUE ".length() ? reply.substring("+CONTINUE ".length()).trim() : replid;
            if (id.length() != 40) {
                throw new IOException("unexpected reply to PSYNC: " + reply);
            }
            return new Handshake(channel, id, -1, null);
        }
        String[] parts = reply.split(" ");
        if (parts.length != 3 || !parts[0].equals("+FULLRESYNC") || parts[1].length() != 40) {
            throw new IOException("unexpected reply to PSYNC: " + reply);
        }
        long offset;
        try {
            offset = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected reply to PSYNC: " + reply);
        }
        syncing = true;
        String header = line(in);
        while (header.isEmpty()) {
            header = line(in);
        }
        long length;
        try {
            length = header.startsWith("$") ? Long.parseLong(header.substring(1)) : -1;
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0) {
            throw new IOException("unexpected RDB header: " + header);
        }
        Path rdb = Files.createTempFile(dir, "temp-replica-", ".rdb");
        try (OutputStream file = Files.newOutputStream(rdb)) {
            byte[] chunk = new byte[1 << 16];
            long left = length;
            while (left > 0) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) {
                    throw new IOException("the master closed the link during the RDB transfer");
                }
                file.write(chunk, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            Files.deleteIfExists(rdb);
            throw e;
        }
        return new Handshake(channel, parts[1], offset, rdb);
    }

    private static void send(OutputStream out, String... args) throws IOException {
        java.util.List<byte[]> words = new java.util.ArrayList<>();
        for (String a : args) {
            words.add(a.getBytes(StandardCharsets.UTF_8));
        }
        out.write(StreamEncoder.command(words));
        out.flush();
    }

    private static void expectOk(InputStream in, String what) throws IOException {
        String reply = line(in);
        if (!reply.startsWith("+OK")) {
            throw new IOException("unexpected reply to " + what + ": " + reply);
        }
    }

    /** {@return one line without its CRLF} @throws IOException at the end of the stream or past 64 KB */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the master closed the link");
            }
            if (c == '\n') {
                break;
            }
            if (out.size() > 65536) {
                throw new IOException("a reply line longer than 64 KB");
            }
            out.write(c);
        }
        String s = out.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** On the event loop: loads a full resync's RDB (one transaction), then attaches the socket. */
    private void finish(Handshake h, Attacher attacher) {
        try {
            if (h.rdb() != null) {
                long started = System.nanoTime();
                RdbImport.Result result;
                try {
                    result = RdbImport.replaceWith(dataset, h.rdb(), () -> {
                        ReplicationRecord r = master.record();
                        r.replid(h.replid());
                        r.offset(h.offset());
                        r.streamDb(-1);
                        r.previous("0".repeat(40), -1);
                    });
                } finally {
                    Files.deleteIfExists(h.rdb());
                }
                LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                        "full resync from %s:%d: %d keys loaded in %.1f s, offset %d", host, port, result.keys(),
                        (System.nanoTime() - started) / 1e9, h.offset()));
            } else if (!h.replid().equals(master.record().replid())) {
                heap.transaction(tx -> master.record().replid(h.replid())); // the master's history has a new id
            }
            h.channel().configureBlocking(false);
            masterClient = attacher.attach(h.channel());
            int db = master.record().streamDb();
            if (db >= 0 && db < dataset.databases()) {
                masterClient.setDb(db);
            }
            streamBytes = 0;
            preparedBytes = 0;
            state = State.CONNECTED;
            backoffMillis = 100;
            nextAckMillis = 0;
            lastIoMillis = System.currentTimeMillis();
        } catch (IOException | RdbException | RuntimeException e) {
            try {
                h.channel().close();
            } catch (IOException ignored) {
                // failing anyway
            }
            failed("the master's sync could not be used: " + e.getMessage());
        }
    }

    private void abortAttempt(String why) {
        SocketChannel c = connecting;
        if (c != null) {
            try {
                c.close(); // the thread's blocked read fails
            } catch (IOException ignored) {
                // failing anyway
            }
        }
        LOG.log(System.Logger.Level.WARNING, why);
    }

    private void failed(String why) {
        LOG.log(System.Logger.Level.WARNING, "replication from " + host + ":" + port + " failed (" + why
                + "); trying again in " + backoffMillis + " ms");
        state = State.CONNECT;
        nextAttemptMillis = System.currentTimeMillis() + backoffMillis;
        backoffMillis = Math.min(5000, backoffMillis * 2);
    }

    /** The master's connection closed (by either side): reconnect, with backoff. */
    public void masterClosed() {
        masterClient = null;
        streamBytes = 0;
        failed("the link to the master closed");
    }

    /** Stops following: closes the link (or abandons an attempt in progress). */
    public void stop() {
        if (masterClient != null) {
            ClientState c = masterClient;
            masterClient = null;
            link.close(c);
        }
        abortAttempt("replication from " + host + ":" + port + " stopped");
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        Object done = outcome.getAndSet(null);
        if (done instanceof Handshake h) {
            try {
                h.channel().close();
                if (h.rdb() != null) {
                    Files.deleteIfExists(h.rdb());
                }
            } catch (IOException ignored) {
                // stopping anyway
            }
        }
    }

    /** {@return INFO replication's lines of a replica} */
    public String info() {
        boolean up = state == State.CONNECTED;
        return "master_host:" + host + "\r\nmaster_port:" + port + "\r\nmaster_link_status:" + (up ? "up" : "down")
                + "\r\nmaster_last_io_seconds_ago:" + (up ? (System.currentTimeMillis() - lastIoMillis) / 1000 : -1)
                + "\r\nmaster_sync_in_progress:" + (state == State.SYNC ? 1 : 0)
                + "\r\nslave_read_repl_offset:" + master.offset() + "\r\nslave_repl_offset:" + master.offset()
                + "\r\nslave_priority:100\r\nslave_read_only:1\r\nreplica_announced:1\r\n";
    }
}
