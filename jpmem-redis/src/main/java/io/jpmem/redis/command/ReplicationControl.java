package io.jpmem.redis.command;

import io.jpmem.redis.protocol.RespWriter;

/**
 * What the replication commands (REPLCONF, PSYNC, SYNC, WAIT, ROLE) need of the
 * server's replication: its master side (the replicas attached to it) and its replica side (the
 * master it follows). Event-loop thread only.
 */
public interface ReplicationControl {

    /** REPLCONF listening-port: the port {@code client}, a replica, serves on. */
    void listeningPort(ClientState client, int port);

    /** REPLCONF ip-address: the address {@code client}, a replica, is known by. */
    void ipAddress(ClientState client, String address);

    /** REPLCONF ACK: {@code client}, a replica, has processed the stream up to {@code offset}. */
    void ack(ClientState client, long offset);

    /** REPLCONF GETACK from {@code client}: if it is this server's master, an ACK is sent at once. */
    void getAck(ClientState client);

    /**
     * PSYNC (or SYNC, {@code psync} false): {@code client} becomes a replica. Its reply
     * ({@code +FULLRESYNC} and the RDB, or {@code +CONTINUE} and the missed bytes) is sent once the
     * round it is in has committed, so it starts exactly at the offset it names.
     */
    void requestSync(ClientState client, String replid, long offset, boolean psync);

    /**
     * WAIT. The reply is sent later when the client waits: once enough replicas acknowledge or the
     * time is up.
     *
     * @return how many replicas acknowledged every write so far, or -1 if the client now waits
     *     (blocked) for {@code replicas} of them until {@code timeoutMillis} (0: forever) passes
     */
    long waitForReplicas(ClientState client, long replicas, long timeoutMillis);

    /** ROLE's reply. */
    void role(RespWriter reply);

    /**
     * REPLICAOF host port: follow that master (its dataset replaces ours at the first sync).
     *
     * @return the status reply
     */
    String replicaOf(String host, int port);

    /** REPLICAOF NO ONE: stop following, become a master with a new replication id. */
    void promote();

    /** {@return whether this server follows a master} */
    boolean isReplica();

    /** {@return whether {@code client} is the connection from this server's master} */
    boolean isMaster(ClientState client);
}
