package io.jpmem.redis.command;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * WATCH: which clients watch which keys, and which of them saw a watched key change (their EXEC
 * then fails). Volatile state, as in Redis: a restart forgets watches along with connections.
 * Event-loop thread only.
 */
public final class Watches {

    private record Key(int db, ByteBuffer name) {}

    private final Map<Key, Set<ClientState>> watchers = new HashMap<>();
    private final Map<ClientState, Set<Key>> watched = new HashMap<>();
    private final Set<ClientState> dirty = new HashSet<>();

    public void watch(ClientState client, int db, byte[] key) {
        Key k = new Key(db, ByteBuffer.wrap(key.clone()));
        watchers.computeIfAbsent(k, x -> new HashSet<>()).add(client);
        watched.computeIfAbsent(client, x -> new HashSet<>()).add(k);
    }

    /** A write touched {@code key}: every client watching it will fail its EXEC. */
    public void touch(int db, byte[] key) {
        Set<ClientState> clients = watchers.get(new Key(db, ByteBuffer.wrap(key)));
        if (clients != null) {
            dirty.addAll(clients);
        }
    }

    /** FLUSHDB/FLUSHALL/SWAPDB: every key of {@code db} (or of all, for -1) changed. */
    public void touchAll(int db) {
        watchers.forEach((k, clients) -> {
            if (db < 0 || k.db() == db) {
                dirty.addAll(clients);
            }
        });
    }

    /** SWAPDB: every watched key of {@code db} for which {@code changed} holds (a key either database holds) changed. */
    public void touchWhere(int db, java.util.function.Predicate<byte[]> changed) {
        watchers.forEach((k, clients) -> {
            if (k.db() == db && changed.test(k.name().array())) {
                dirty.addAll(clients);
            }
        });
    }

    /** {@return whether a key {@code client} watches changed since it watched it} */
    public boolean isDirty(ClientState client) {
        return dirty.contains(client);
    }

    /** UNWATCH, EXEC, DISCARD, disconnect. */
    public void unwatchAll(ClientState client) {
        Set<Key> keys = watched.remove(client);
        if (keys != null) {
            for (Key k : keys) {
                Set<ClientState> clients = watchers.get(k);
                clients.remove(client);
                if (clients.isEmpty()) {
                    watchers.remove(k);
                }
            }
        }
        dirty.remove(client);
    }
}
