package io.jpmem.redis.server;

import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.protocol.ProtocolException;
import io.jpmem.redis.protocol.RespParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/** One client connection: its socket, parser, parsed-but-not-run commands, and replies not yet sent. */
final class Connection {

    final SocketChannel channel;
    final SelectionKey key;
    final ClientState state;
    final RespParser parser;
    final ArrayDeque<List<byte[]>> pending = new ArrayDeque<>();
    /** Commands given back by a round because the client blocked before them: they run first when it is served. */
    final ArrayDeque<io.jpmem.redis.command.ParsedCommand> deferred = new ArrayDeque<>();
    /** Whether the client was skipped while blocked: bytes may wait in the parser. */
    boolean waitedWhileBlocked;
    /** Replies not yet written, oldest first. */
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    /** At most this many replies per gathering write (below the kernel's IOV_MAX of 1024). */
    private static final int MAX_GATHER = 512;
    private long queuedBytes;
    /** A protocol error ends the connection once its error reply is written. */
    String protocolError;
    boolean closing;
    /** The connection to this server's master: replies are dropped, the stream bytes parsed are counted. */
    boolean master;
    /** Of a master connection: the stream bytes of the commands parsed and not yet counted. */
    long parsedBytes;
    private long partialBytes;

    Connection(SocketChannel channel, SelectionKey key, ClientState state, long maxBulkLength) {
        this.channel = channel;
        this.key = key;
        this.state = state;
        this.parser = new RespParser(maxBulkLength);
        parser.setAuthenticated(state.authenticated());
    }

    /**
     * Moves complete commands from the parser to {@link #pending}, at most {@code limit} of them.
     *
     * @return whether it stopped early (the limit, or an unauthenticated client's one command) with
     *     bytes still buffered: the next round must not wait for the socket
     */
    boolean parse(int limit) {
        parser.setAuthenticated(state.authenticated());
        try {
            for (int i = 0; i < limit && protocolError == null; i++) {
                int before = parser.buffered();
                List<byte[]> command = parser.next();
                partialBytes += before - parser.buffered(); // a command may be consumed over several calls
                if (command == null) {
                    return false;
                }
                parsedBytes += partialBytes;
                partialBytes = 0;
                pending.add(command);
                if (!state.authenticated()) {
                    return parser.buffered() > 0; // AUTH must run before the parser's limits can be lifted
                }
            }
        } catch (ProtocolException e) {
            protocolError = "ERR " + e.getMessage();
            return false;
        }
        return protocolError == null && parser.buffered() > 0;
    }

    void send(byte[] reply) {
        if (reply.length > 0) {
            output.add(ByteBuffer.wrap(reply));
            queuedBytes += reply.length;
        }
    }

    /** Queues bytes that are already in a buffer (stream bytes, a mapped RDB file). */
    void send(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            output.add(bytes);
            queuedBytes += bytes.remaining();
        }
    }

    boolean hasOutput() {
        return !output.isEmpty();
    }

    /**
     * Writes what the socket takes now, all queued replies in one gathering write (one system call
     * and as few TCP segments as the kernel can make, rather than a write per reply of a pipeline).
     *
     * @return true if everything was written
     */
    boolean flush() throws IOException {
        while (!output.isEmpty()) {
            int n = Math.min(output.size(), MAX_GATHER);
            ByteBuffer[] batch = new ByteBuffer[n];
            Iterator<ByteBuffer> queued = output.iterator();
            for (int i = 0; i < n; i++) {
                batch[i] = queued.next();
            }
            queuedBytes -= channel.write(batch, 0, n);
            while (!output.isEmpty() && !output.peek().hasRemaining()) {
                output.poll();
            }
            if (batch[n - 1].hasRemaining()) {
                return false; // the socket took less than offered
            }
        }
        return true;
    }

    /** {@return the bytes of replies not yet written to the socket} */
    long queuedBytes() {
        return queuedBytes;
    }
}
