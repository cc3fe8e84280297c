package io.jpmem.redis.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes for clients other than the one whose command is running — a published message, the reply
 * of a blocked client served by another client's write — held until the round's transaction
 * commits. The round executor takes them after each command ({@link #take()}) and delivers them
 * before that command's own reply, or drops them when the transaction rolls back. Event-loop thread only.
 */
public final class Outbox {

    /** An empty outbox. */
    public Outbox() {
    }

    /** Bytes for one client. */
    public record Message(ClientState client, byte[] bytes) {}

    private List<Message> messages = new ArrayList<>();

    /** Queues {@code bytes} for {@code client}. */
    public void send(ClientState client, byte[] bytes) {
        messages.add(new Message(client, bytes));
    }

    /** {@return the messages queued since the last take or drop, oldest first; forgets them} */
    public List<Message> take() {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<Message> taken = messages;
        messages = new ArrayList<>();
        return taken;
    }

    /** Forgets the queued messages (their transaction rolled back). */
    public void drop() {
        messages.clear();
    }
}
