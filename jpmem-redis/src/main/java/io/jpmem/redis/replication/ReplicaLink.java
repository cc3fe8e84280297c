package io.jpmem.redis.replication;

import io.jpmem.redis.command.ClientState;
import java.nio.ByteBuffer;

/** How replication reaches the connections of the event loop: to send stream bytes, replies, and to end a wait. */
public interface ReplicaLink {

    /** Queues {@code bytes} on {@code client}'s connection (nothing if it closed). */
    void send(ClientState client, ByteBuffer bytes);

    /** Closes {@code client}'s connection. */
    void close(ClientState client);
}
