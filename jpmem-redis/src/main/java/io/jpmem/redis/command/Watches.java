package io.jpmem.redis.command;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * WATCH: which clients watch which keys, and which of them saw a watched key change (their EXEC
 * then fails). Volatile state, as in Redis: a restart forgets watches along with connections.
 * Event-loop thread only.
 *
 * <p><b>Rollback.</b> Between {@link #begin()} and {@link #commit()} every change (a watch, an
 * unwatch, a client marked dirty) is journaled, and {@link #rollback()} undoes them in reverse
 * order: the event loop brackets each heap transaction with these, so a rolled-back round (or
 * command) leaves no watcher marked dirty by a write whose effects were rolled back, and no watch
 * added or dropped by a command that will run again. Changes are visible at once (an EXEC later in
 * the same round sees an earlier command's touch), as in Redis.
 */
public final class Watches {

    /** No key watched. */
    public Watches() {
    }

    private record Key(int db, ByteBuffer name) {}

    private final Map<Key, Set<ClientState>> watchers = new HashMap<>();
    private final Map<ClientState, Set<Key>> watched = new HashMap<>();
    private final Set<ClientState> dirty = new HashSet<>();
    /** Undo actions of the open bracket, newest first (made at the first change: most rounds make none). */
    private Deque<Runnable> journal;
    /** Whether a bracket is open: between {@link #begin()} and {@link #commit()} or {@link #rollback()}. */
    private boolean journaling;

    /** Starts journaling changes, for {@link #rollback()}. */
    public void begin() {
        journaling = true;
        journal = null;
    }

    /** Keeps the changes made since {@link #begin()}. */
    public void commit() {
        journaling = false;
        journal = null;
    }

    /** Undoes every change made since {@link #begin()}. */
    public void rollback() {
        Deque<Runnable> undo = journal;
        commit();
        if (undo != null) {
            undo.forEach(Runnable::run);
        }
    }

    private void journal(Runnable undo) {
        if (journaling) {
            if (journal == null) {
                journal = new ArrayDeque<>();
            }
            journal.push(undo);
        }
    }

    /**
     * Registers what undoes a change of other volatile server state made in the open bracket (a
     * background save started by a command of a round that rolls back): run by {@link #rollback()}.
     */
    public void onRollback(Runnable undo) {
        journal(undo);
    }

    public void watch(ClientState client, int db, byte[] key) {
        add(client, new Key(db, ByteBuffer.wrap(key.clone())));
    }

    private void add(ClientState client, Key k) {
        if (watchers.computeIfAbsent(k, x -> new HashSet<>()).add(client)) {
            watched.computeIfAbsent(client, x -> new HashSet<>()).add(k);
            journal(() -> remove(client, k));
        }
    }

    private void remove(ClientState client, Key k) {
        Set<ClientState> clients = watchers.get(k);
        clients.remove(client);
        if (clients.isEmpty()) {
            watchers.remove(k);
        }
        Set<Key> keys = watched.get(client);
        keys.remove(k);
        if (keys.isEmpty()) {
            watched.remove(client);
        }
    }

    private void markDirty(Set<ClientState> clients) {
        for (ClientState client : clients) {
            if (dirty.add(client)) {
                journal(() -> dirty.remove(client));
            }
        }
    }

    /** A write changed {@code key} of {@code db}: every client watching it will fail its EXEC. */
    public void touch(int db, byte[] key) {
        if (watchers.isEmpty()) {
            return; // every write calls this: no lookup key to build when nobody watches
        }
        Set<ClientState> clients = watchers.get(new Key(db, ByteBuffer.wrap(key)));
        if (clients != null) {
            markDirty(clients);
        }
    }

    /**
     * FLUSHDB, FLUSHALL, SWAPDB: every watched key of {@code db} for which {@code changed} holds
     * changed (evaluated now, before the command changes anything).
     */
    public void touchWhere(int db, Predicate<byte[]> changed) {
        List<Set<ClientState>> hit = new ArrayList<>();
        watchers.forEach((k, clients) -> {
            if (k.db() == db && changed.test(k.name().array())) {
                hit.add(clients);
            }
        });
        hit.forEach(this::markDirty);
    }

    /** {@return whether a key {@code client} watches changed since it watched it} */
    public boolean isDirty(ClientState client) {
        return dirty.contains(client);
    }

    /** UNWATCH, EXEC, DISCARD, disconnect. */
    public void unwatchAll(ClientState client) {
        Set<Key> keys = watched.get(client);
        if (keys != null) {
            for (Key k : List.copyOf(keys)) {
                remove(client, k);
                journal(() -> add(client, k));
            }
        }
        if (dirty.remove(client)) {
            journal(() -> dirty.add(client));
        }
    }
}
