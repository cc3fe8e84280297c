package io.jpmem.redis.command;

import io.jpmem.redis.protocol.RespWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who subscribed to what: channels, patterns and shard channels, as Redis keeps them, volatile
 * (a restart forgets subscriptions with the connections). Published messages go to the
 * {@link Outbox}, so they leave with the round's replies, after its commit, in the order the
 * commands ran. Changes are journaled ({@link RoundJournal}) and undone with a rolled-back round.
 * Event-loop thread only.
 */
public final class PubSub {

    /** The three kinds of subscription, with the words Redis's replies use for them. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final String subscribed;
        final String unsubscribed;
        final String message;

        Kind(String subscribed, String unsubscribed, String message) {
            this.subscribed = subscribed;
            this.unsubscribed = unsubscribed;
            this.message = message;
        }
    }

    private final Outbox outbox;
    private final RoundJournal journal;
    /** Per kind: name → subscribers, in subscription order. */
    private final Map<Kind, Map<ByteBuffer, Set<ClientState>>> subscribers = new HashMap<>();
    /** Per kind: client → its names, in subscription order. */
    private final Map<Kind, Map<ClientState, Set<ByteBuffer>>> subscriptions = new HashMap<>();

    public PubSub(Outbox outbox, RoundJournal journal) {
        this.outbox = outbox;
        this.journal = journal;
        for (Kind kind : Kind.values()) {
            subscribers.put(kind, new LinkedHashMap<>());
            subscriptions.put(kind, new HashMap<>());
        }
    }

    /** {@return how many channels and patterns {@code client} is subscribed to (Redis's count in (un)subscribe replies)} */
    public int channelsAndPatterns(ClientState client) {
        return count(Kind.CHANNEL, client) + count(Kind.PATTERN, client);
    }

    /** {@return how many subscriptions of {@code kind} {@code client} has} */
    public int count(Kind kind, ClientState client) {
        Set<ByteBuffer> names = subscriptions.get(kind).get(client);
        return names == null ? 0 : names.size();
    }

    /** {@return whether {@code client} has any subscription: in RESP2 it is then in subscribed mode} */
    public boolean subscribed(ClientState client) {
        for (Kind kind : Kind.values()) {
            if (count(kind, client) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Subscribes {@code client} to {@code name}; returns whether it was new. */
    public boolean subscribe(Kind kind, ClientState client, byte[] name) {
        ByteBuffer key = ByteBuffer.wrap(name.clone());
        if (!subscriptions.get(kind).computeIfAbsent(client, c -> new LinkedHashSet<>()).add(key)) {
            return false;
        }
        subscribers.get(kind).computeIfAbsent(key, k -> new LinkedHashSet<>()).add(client);
        journal.onRollback(() -> remove(kind, client, key));
        return true;
    }

    /** Unsubscribes {@code client} from {@code name}; returns whether it was subscribed. */
    public boolean unsubscribe(Kind kind, ClientState client, byte[] name) {
        ByteBuffer key = ByteBuffer.wrap(name);
        Set<ByteBuffer> names = subscriptions.get(kind).get(client);
        if (names == null || !names.contains(key)) {
            return false;
        }
        ByteBuffer stored = names.stream().filter(key::equals).findFirst().orElseThrow();
        remove(kind, client, stored);
        journal.onRollback(() -> subscribe(kind, client, stored.array()));
        return true;
    }

    private void remove(Kind kind, ClientState client, ByteBuffer key) {
        Set<ByteBuffer> names = subscriptions.get(kind).get(client);
        names.remove(key);
        if (names.isEmpty()) {
            subscriptions.get(kind).remove(client);
        }
        Set<ClientState> clients = subscribers.get(kind).get(key);
        clients.remove(client);
        if (clients.isEmpty()) {
            subscribers.get(kind).remove(key);
        }
    }

    /** {@return the names {@code client} is subscribed to, of {@code kind}, in subscription order} */
    public List<byte[]> names(Kind kind, ClientState client) {
        Set<ByteBuffer> names = subscriptions.get(kind).get(client);
        return names == null ? List.of() : names.stream().map(ByteBuffer::array).toList();
    }

    /** A closed connection: forgets all its subscriptions (not journaled: a connection's end is not rolled back). */
    public void forget(ClientState client) {
        for (Kind kind : Kind.values()) {
            Set<ByteBuffer> names = subscriptions.get(kind).remove(client);
            if (names != null) {
                for (ByteBuffer key : names) {
                    Set<ClientState> clients = subscribers.get(kind).get(key);
                    clients.remove(client);
                    if (clients.isEmpty()) {
                        subscribers.get(kind).remove(key);
                    }
                }
            }
        }
    }

    /**
     * PUBLISH (or SPUBLISH with {@code shard}): queues the message for every subscriber of the
     * channel and (not for shard channels) of every matching pattern; returns how many received it.
     */
    public int publish(byte[] channel, byte[] message, boolean shard) {
        int receivers = 0;
        Kind kind = shard ? Kind.SHARD : Kind.CHANNEL;
        Set<ClientState> direct = subscribers.get(kind).get(ByteBuffer.wrap(channel));
        if (direct != null) {
            for (ClientState client : direct) {
                RespWriter w = writer(client);
                w.push(3).bulk(kind.message).bulk(channel).bulk(message);
                outbox.send(client, w.drain());
                receivers++;
            }
        }
        if (!shard) {
            for (Map.Entry<ByteBuffer, Set<ClientState>> e : subscribers.get(Kind.PATTERN).entrySet()) {
                byte[] pattern = e.getKey().array();
                if (Glob.matches(pattern, channel, false)) {
                    for (ClientState client : e.getValue()) {
                        RespWriter w = writer(client);
                        w.push(4).bulk(Kind.PATTERN.message).bulk(pattern).bulk(channel).bulk(message);
                        outbox.send(client, w.drain());
                        receivers++;
                    }
                }
            }
        }
        return receivers;
    }

    private static RespWriter writer(ClientState client) {
        RespWriter w = new RespWriter();
        w.setProtocol(client.protocol());
        return w;
    }

    /** {@return the channels (or shard channels) with at least one subscriber whose name matches {@code pattern} (all if null)} */
    public List<byte[]> activeChannels(Kind kind, byte[] pattern) {
        List<byte[]> found = new ArrayList<>();
        for (ByteBuffer name : subscribers.get(kind).keySet()) {
            if (pattern == null || Glob.matches(pattern, name.array(), false)) {
                found.add(name.array());
            }
        }
        return found;
    }

    /** {@return the number of subscribers of the channel (or shard channel) {@code name}} */
    public int subscriberCount(Kind kind, byte[] name) {
        Set<ClientState> clients = subscribers.get(kind).get(ByteBuffer.wrap(name));
        return clients == null ? 0 : clients.size();
    }

    /** {@return the number of distinct patterns subscribed to} */
    public int patternCount() {
        return subscribers.get(Kind.PATTERN).size();
    }
}
