package io.jpmem.redis.replication;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.command.Dispatcher;
import io.jpmem.redis.command.ReplicationControl;
import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.protocol.RespWriter;
import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * The server's replication as its commands see it ({@link ReplicationControl}): the master side
 * ({@link ReplicationMaster}) always, and the replica side ({@link ReplicaSide}) while REPLICAOF
 * names a master. While following a master the server is a read-only replica: its clients' writes
 * get {@code -READONLY}, only the master's connection writes. Event-loop thread only.
 */
public final class Replication implements ReplicationControl {

    private final PersistentHeap heap;
    private final Dataset dataset;
    private final Dispatcher dispatcher;
    private final ReplicationMaster master;
    private final ReplicaLink link;
    private final Path dir;
    private final IntSupplier ourPort;
    private ReplicaSide replica;

    /** Replication of a server; {@code ourPort} is the port it serves on (REPLCONF listening-port). */
    public Replication(PersistentHeap heap, Dataset dataset, Dispatcher dispatcher, ReplicationMaster master,
                       ReplicaLink link, Path dir, IntSupplier ourPort) {
        this.heap = heap;
        this.dataset = dataset;
        this.dispatcher = dispatcher;
        this.master = master;
        this.link = link;
        this.dir = dir;
        this.ourPort = ourPort;
    }

    /** {@return the master side} */
    public ReplicationMaster master() {
        return master;
    }

    /** {@return the replica side, or null when following no master} */
    public ReplicaSide replica() {
        return replica;
    }

    @Override
    public void listeningPort(ClientState client, int port) {
        master.listeningPort(client, port);
    }

    @Override
    public void ipAddress(ClientState client, String address) {
        master.ipAddress(client, address);
    }

    @Override
    public void ack(ClientState client, long offset) {
        master.ack(client, offset);
    }

    @Override
    public void getAck(ClientState client) {
        if (replica != null && replica.isMaster(client)) {
            replica.getAck();
        }
    }

    @Override
    public void requestSync(ClientState client, String replid, long offset, boolean psync) {
        master.requestSync(client, replid, offset, psync);
    }

    @Override
    public long waitForReplicas(ClientState client, long replicas, long timeoutMillis) {
        return master.waitForReplicas(client, replicas, timeoutMillis);
    }

    @Override
    public void role(RespWriter reply) {
        if (replica != null) {
            String state = switch (replica.state()) {
                case CONNECT -> "connect";
                case CONNECTING -> "connecting";
                case SYNC -> "sync";
                case CONNECTED -> "connected";
            };
            reply.array(5).bulk("slave").bulk(replica.host()).integer(replica.port()).bulk(state).integer(master.offset());
            return;
        }
        java.util.List<String[]> replicas = master.replicaList();
        reply.array(3).bulk("master").integer(master.offset()).array(replicas.size());
        for (String[] r : replicas) {
            reply.array(3).bulk(r[0]).bulk(r[1]).bulk(r[2]);
        }
    }

    @Override
    public String replicaOf(String host, int port) {
        if (replica != null && replica.host().equalsIgnoreCase(host) && replica.port() == port) {
            return "OK Already connected to specified master";
        }
        if (replica != null) {
            replica.stop();
        }
        master.follow();
        replica = new ReplicaSide(heap, dataset, master, link, dir, host, port, ourPort.getAsInt());
        dispatcher.replicaWrites(new Dispatcher.ReplicaWrites() {
            @Override
            public boolean mayWrite(ClientState client) {
                return client.fromMaster();
            }

            @Override
            public boolean isMaster(ClientState client) {
                return client.fromMaster();
            }
        });
        return "OK";
    }

    @Override
    public void promote() {
        if (replica == null) {
            return;
        }
        replica.stop();
        replica = null;
        dispatcher.replicaWrites(Dispatcher.ReplicaWrites.NONE);
        master.promote();
    }

    @Override
    public boolean isReplica() {
        return replica != null;
    }

    @Override
    public boolean isMaster(ClientState client) {
        return replica != null && replica.isMaster(client);
    }

    /** A connection closed. */
    public void forget(ClientState client) {
        master.forget(client);
        if (replica != null && replica.isMaster(client)) {
            replica.masterClosed();
        }
    }

    /** {@return the INFO replication section's lines} */
    public String info() {
        if (replica != null) {
            return "role:slave\r\n" + replica.info() + master.info() + master.historyInfo();
        }
        return "role:master\r\n" + master.info() + master.historyInfo();
    }
}
