package io.jpmem.redis.replication;

import io.jpmem.heap.HeapFullException;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.command.ExecutedWrite;
import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.data.ReplicationRecord;
import io.jpmem.redis.rdb.RdbSaves;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The master side of replication: the replicas attached to this server, the stream they are fed,
 * the backlog, and WAIT.
 *
 * <p><b>The stream.</b> Inside each committed heap transaction of the server (a round, a command
 * run alone, an active expiry cycle), {@link #prepare} encodes its writes — already in their
 * deterministic form, see the dispatcher — and stores the new stream offset in the heap's
 * {@link ReplicationRecord}, in the same transaction: after a crash the offset says exactly which
 * writes the dataset holds. After the commit, {@link #publish} appends the bytes to the backlog and
 * sends them to every replica, in commit order, before any of the round's replies leaves. Control
 * messages (PING every repl-ping-replica-period, REPLCONF GETACK for WAIT) are stream bytes too,
 * each in a small transaction of its own.
 *
 * <p><b>Syncs.</b> PSYNC only asks ({@link #requestSync}); the sync is served between rounds
 * ({@link #serveSyncs}), when every write before it has been published and none after it has:
 * {@code +CONTINUE} and the backlog from the replica's offset if the backlog holds it and the
 * replication id is ours (or our previous one, up to where it is valid), else
 * {@code +FULLRESYNC <id> <offset>}, the dataset as an RDB ({@code $<length>} and the file), and
 * from then on the stream. The RDB is written at once, blocking clients as SAVE does.
 *
 * <p>The backlog exists from the first replica on; once a replication record is in the heap it is
 * made again at every start, so the offset never stops following the writes. Event-loop thread
 * only.
 */
public final class ReplicationMaster {

    private static final System.Logger LOG = System.getLogger("io.jpmem.redis");

    /** A replica attached to this server. */
    static final class Replica {
        final ClientState client;
        int port;
        String ip;
        long ack;
        long ackMillis = System.currentTimeMillis();

        Replica(ClientState client) {
            this.client = client;
            this.ip = host(client.address());
        }
    }

    /** A client in WAIT. */
    private record Waiter(ClientState client, long target, long replicas, long deadlineMillis) {}

    private record SyncRequest(ClientState client, String replid, long offset, boolean psync) {}

    private final PersistentHeap heap;
    private final Dataset dataset;
    private final Path dir;
    private final ReplicaLink link;
    private ReplicationRecord record;
    private Backlog backlog;
    private int backlogSize = 1 << 20;
    private int pingPeriodSeconds = 10;
    private long nextPingMillis;
    private final StreamEncoder encoder = new StreamEncoder();
    private final Map<ClientState, Replica> replicas = new LinkedHashMap<>();
    /** Replicas that sent REPLCONF but no PSYNC yet: their listening port. */
    private final Map<ClientState, Replica> handshaking = new LinkedHashMap<>();
    private final List<SyncRequest> syncRequests = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean askForAcks;
    /** Counts the sends of {@link #cron}, to say whether it sent anything. */
    private int sent;
    private byte[] pending;
    private int pendingSelectedBefore;
    private boolean following;
    private long fullSyncs;
    private long partialSyncs;
    private long partialSyncsRefused;

    /**
     * The master side of a server on {@code heap}; it writes full-sync RDB files to {@code dir}
     * (deleted as soon as they are mapped) and reaches connections through {@code link}.
     */
    public ReplicationMaster(PersistentHeap heap, Dataset dataset, Path dir, ReplicaLink link) {
        this.heap = heap;
        this.dataset = dataset;
        this.dir = dir;
        this.link = link;
        this.record = io.jpmem.objects.ObjectSpace.of(heap).root(ReplicationRecord.ROOT, ReplicationRecord.class);
        if (record != null) {
            backlog = new Backlog(backlogSize, record.offset());
        }
    }

    /** {@return the heap's replication record, made now (with a new id) if it has none} */
    public ReplicationRecord record() {
        if (record == null) {
            record = ReplicationRecord.open(heap, ReplicationIds.fresh());
        }
        return record;
    }

    /**
     * The server follows a master from now on: no stream is fed from here, its replicas are
     * disconnected (they resync once it is a master again, or follow another).
     */
    public void follow() {
        following = true;
        for (ClientState c : List.copyOf(replicas.keySet())) {
            link.close(c);
        }
        replicas.clear();
        for (Waiter w : waiters) {
            w.client().setBlocked(false);
            link.send(w.client(), ascii(":0\r\n"));
        }
        waiters.clear();
    }

    /**
     * REPLICAOF NO ONE: a master again, with a new replication id; the id it followed stays valid
     * up to the offset reached, so replicas of the same old master can continue from here.
     */
    public void promote() {
        following = false;
        ReplicationRecord r = record();
        heap.transaction(tx -> {
            r.previous(r.replid(), r.offset() + 1);
            r.replid(ReplicationIds.fresh());
        });
        backlog = new Backlog(backlogSize, r.offset());
        encoder.reset();
    }

    /** {@return the stream offset: bytes of the stream so far} */
    public long offset() {
        return record == null ? 0 : record.offset();
    }

    /** Sets repl-backlog-size. */
    public void backlogSize(int bytes) {
        backlogSize = bytes;
        if (backlog != null) {
            backlog.resize(bytes);
        }
    }

    /** {@return repl-backlog-size} */
    public int backlogSize() {
        return backlogSize;
    }

    /** Sets repl-ping-replica-period (seconds). */
    public void pingPeriod(int seconds) {
        pingPeriodSeconds = seconds;
    }

    /** {@return repl-ping-replica-period} */
    public int pingPeriod() {
        return pingPeriodSeconds;
    }

    // ---- the stream -----------------------------------------------------------------------

    /** Inside a committing transaction: encodes {@code writes} and stores the offset they bring the stream to. */
    public void prepare(List<ExecutedWrite> writes) {
        if (backlog == null || following || writes.isEmpty()) {
            return;
        }
        pendingSelectedBefore = encoder.selected();
        byte[] bytes = encoder.encode(writes);
        record.offset(backlog.end() + (pending == null ? 0 : pending.length) + bytes.length);
        record.streamDb(encoder.selected());
        pending = pending == null ? bytes : concat(pending, bytes);
    }

    /** After the commit: the prepared bytes go to the backlog and to the replicas. */
    public void publish() {
        byte[] bytes = pending;
        pending = null;
        if (bytes == null) {
            return;
        }
        backlog.append(bytes);
        for (Replica r : replicas.values()) {
            link.send(r.client, ByteBuffer.wrap(bytes));
        }
    }

    /** The transaction rolled back: the prepared bytes are forgotten. */
    public void discard() {
        if (pending != null) {
            encoder.restore(pendingSelectedBefore);
            pending = null;
        }
    }

    /** Feeds a control command (PING, REPLCONF GETACK) into the stream, in a transaction of its own for the offset. */
    private void feedControl(List<byte[]> command) {
        if (backlog == null || following) {
            return;
        }
        byte[] bytes = StreamEncoder.command(command);
        try {
            heap.transaction(tx -> record.offset(backlog.end() + bytes.length));
        } catch (HeapFullException full) {
            return; // tried again at the next period
        }
        backlog.append(bytes);
        for (Replica r : replicas.values()) {
            link.send(r.client, ByteBuffer.wrap(bytes));
            sent++;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- replicas ---------------------------------------------------------------------------

    /** REPLCONF listening-port. */
    public void listeningPort(ClientState client, int port) {
        replicaOf(client).port = port;
    }

    /** REPLCONF ip-address. */
    public void ipAddress(ClientState client, String address) {
        replicaOf(client).ip = address;
    }

    private Replica replicaOf(ClientState client) {
        Replica r = replicas.get(client);
        return r != null ? r : handshaking.computeIfAbsent(client, Replica::new);
    }

    /** REPLCONF ACK from a replica. */
    public void ack(ClientState client, long offset) {
        Replica r = replicas.get(client);
        if (r != null) {
            r.ack = Math.max(r.ack, offset);
            r.ackMillis = System.currentTimeMillis();
            serveWaiters(false);
        }
    }

    /** PSYNC or SYNC: served after the round ({@link #serveSyncs}). */
    public void requestSync(ClientState client, String replid, long offset, boolean psync) {
        syncRequests.add(new SyncRequest(client, replid, offset, psync));
    }

    /** A connection closed: it is no longer a replica, and no longer waits. */
    public void forget(ClientState client) {
        replicas.remove(client);
        handshaking.remove(client);
        waiters.removeIf(w -> w.client() == client);
        syncRequests.removeIf(s -> s.client() == client);
    }

    /** {@return whether there are syncs to serve} */
    public boolean syncsRequested() {
        return !syncRequests.isEmpty();
    }

    /** Between rounds: serves the PSYNCs and SYNCs asked for. */
    public void serveSyncs() {
        if (syncRequests.isEmpty()) {
            return;
        }
        List<SyncRequest> requests = List.copyOf(syncRequests);
        syncRequests.clear();
        for (SyncRequest s : requests) {
            serve(s);
        }
    }

    private void serve(SyncRequest s) {
        if (following) {
            link.send(s.client(), ascii("-NOMASTERLINK Can't SYNC while not connected with my master\r\n"));
            return;
        }
        ensureBacklog();
        Replica replica = handshaking.remove(s.client());
        if (replica == null) {
            replica = new Replica(s.client());
        }
        if (s.psync() && continues(s)) {
            byte[] missed = backlog.from(s.offset());
            link.send(s.client(), ascii("+CONTINUE " + record.replid() + "\r\n"));
            link.send(s.client(), ByteBuffer.wrap(missed));
            replica.ack = s.offset() - 1;
            replicas.put(s.client(), replica);
            partialSyncs++;
            return;
        }
        if (s.psync() && !s.replid().equals("?")) {
            partialSyncsRefused++;
        }
        ByteBuffer rdb;
        try {
            rdb = snapshot();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "full resync of a replica failed: " + e);
            link.close(s.client());
            return;
        }
        if (s.psync()) {
            link.send(s.client(), ascii("+FULLRESYNC " + record.replid() + " " + backlog.end() + "\r\n"));
        }
        link.send(s.client(), ascii("$" + rdb.remaining() + "\r\n"));
        link.send(s.client(), rdb);
        encoder.reset(); // the replica's stream starts with a SELECT
        replica.ack = 0;
        replicas.put(s.client(), replica);
        fullSyncs++;
        LOG.log(System.Logger.Level.INFO, "replica " + replica.ip + ":" + replica.port + " synchronized fully at offset "
                + backlog.end() + " (" + rdb.remaining() + " bytes of RDB)");
    }

    /** {@return whether the replica's PSYNC can continue from the backlog} */
    private boolean continues(SyncRequest s) {
        boolean ours = s.replid().equals(record.replid())
                || s.replid().equals(record.replid2()) && s.offset() <= record.secondOffset();
        return ours && backlog.from(s.offset()) != null;
    }

    private void ensureBacklog() {
        if (backlog == null) {
            record();
            backlog = new Backlog(backlogSize, record.offset());
        }
    }

    /** Writes the dataset as an RDB file in {@code dir}, maps it, deletes it; {@return the mapped bytes} */
    private ByteBuffer snapshot() throws IOException {
        Path file = Files.createTempFile(dir, "temp-repl-", ".rdb");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                RdbSaves.snapshotTo(dataset, out);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                if (channel.size() > Integer.MAX_VALUE) {
                    throw new IOException("the dataset's RDB is over 2 GiB, more than a full resync sends");
                }
                return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ---- WAIT ---------------------------------------------------------------------------------

    /** WAIT: see {@link io.jpmem.redis.command.ReplicationControl#waitForReplicas}. */
    public long waitForReplicas(ClientState client, long wanted, long timeoutMillis) {
        long target = offset();
        long acked = ackedAt(target);
        if (acked >= wanted) {
            return acked;
        }
        long deadline = timeoutMillis == 0 ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMillis;
        waiters.add(new Waiter(client, target, wanted, deadline));
        client.setBlocked(true);
        askForAcks = true;
        return -1;
    }

    private long ackedAt(long offset) {
        return replicas.values().stream().filter(r -> r.ack >= offset).count();
    }

    private void serveWaiters(boolean timeouts) {
        long now = System.currentTimeMillis();
        for (Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
            Waiter w = i.next();
            long acked = ackedAt(w.target());
            if (acked >= w.replicas() || timeouts && now >= w.deadlineMillis()) {
                i.remove();
                w.client().setBlocked(false);
                link.send(w.client(), ascii(":" + acked + "\r\n"));
                sent++;
            }
        }
    }

    /**
     * The event loop's turn (every iteration): WAIT timeouts, GETACKs for new waits, the periodic
     * PING.
     *
     * @return whether it queued bytes for some connection
     */
    public boolean cron() {
        int before = sent;
        if (askForAcks) {
            askForAcks = false;
            feedControl(List.of(StreamEncoder.bytes("REPLCONF"), StreamEncoder.bytes("GETACK"), StreamEncoder.bytes("*")));
        }
        if (!waiters.isEmpty()) {
            serveWaiters(true);
        }
        long now = System.currentTimeMillis();
        if (now >= nextPingMillis) {
            nextPingMillis = now + pingPeriodSeconds * 1000L;
            if (!replicas.isEmpty()) {
                feedControl(List.of(StreamEncoder.bytes("PING")));
            }
        }
        return sent != before;
    }

    /** {@return whether some client waits in WAIT} */
    public boolean waiting() {
        return !waiters.isEmpty();
    }

    // ---- reports ------------------------------------------------------------------------------

    /** {@return the replicas, for ROLE: address, listening port, acknowledged offset} */
    public List<String[]> replicaList() {
        List<String[]> out = new ArrayList<>();
        for (Replica r : replicas.values()) {
            out.add(new String[] {r.ip, Integer.toString(r.port), Long.toString(r.ack)});
        }
        return out;
    }

    /** {@return INFO replication's lines about the replicas and the backlog (a master's)} */
    public String info() {
        StringBuilder out = new StringBuilder("connected_slaves:").append(replicas.size()).append("\r\n");
        int n = 0;
        long now = System.currentTimeMillis();
        for (Replica r : replicas.values()) {
            out.append("slave").append(n++).append(":ip=").append(r.ip).append(",port=").append(r.port)
                    .append(",state=online,offset=").append(r.ack).append(",lag=").append((now - r.ackMillis) / 1000)
                    .append("\r\n");
        }
        return out.toString();
    }

    /** {@return the master_replid ... repl_backlog_histlen lines of INFO replication} */
    public String historyInfo() {
        ReplicationRecord r = record;
        StringBuilder out = new StringBuilder();
        out.append("master_failover_state:no-failover\r\n")
                .append("master_replid:").append(r == null ? ReplicationIds.NONE_YET : r.replid()).append("\r\n")
                .append("master_replid2:").append(r == null ? "0".repeat(40) : r.replid2()).append("\r\n")
                .append("master_repl_offset:").append(offset()).append("\r\n")
                .append("second_repl_offset:").append(r == null ? -1 : r.secondOffset()).append("\r\n")
                .append("repl_backlog_active:").append(backlog == null ? 0 : 1).append("\r\n")
                .append("repl_backlog_size:").append(backlogSize).append("\r\n")
                .append("repl_backlog_first_byte_offset:").append(backlog == null ? 0 : backlog.first()).append("\r\n")
                .append("repl_backlog_histlen:").append(backlog == null ? 0 : backlog.held()).append("\r\n");
        return out.toString();
    }

    /** {@return sync_full, sync_partial_ok and sync_partial_err, for INFO stats} */
    public String statsInfo() {
        return "sync_full:" + fullSyncs + "\r\nsync_partial_ok:" + partialSyncs + "\r\nsync_partial_err:" + partialSyncsRefused + "\r\n";
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@return the host part of "host:port" or "/host:port"} */
    static String host(String address) {
        String a = address.startsWith("/") ? address.substring(1) : address;
        int colon = a.lastIndexOf(':');
        return colon > 0 ? a.substring(0, colon) : a;
    }
}
