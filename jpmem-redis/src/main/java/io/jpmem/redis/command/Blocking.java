package io.jpmem.redis.command;

import io.jpmem.redis.protocol.RespWriter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Clients blocked on keys (BLPOP and the other blocking commands; XREAD BLOCK can use it the same
 * way), as Redis keeps them: per key a FIFO queue of the clients waiting for it.
 *
 * <p><b>Design.</b> A blocking command that finds nothing to serve calls {@link #block} with its
 * keys, a deadline and a {@link Retry}: how to try again when one of the keys may have become
 * ready. Every write signals the keys it changed ({@link Request#modified} calls
 * {@link #signal}); after each command of a round the dispatcher serves the ready keys
 * ({@link Dispatcher#serveBlockedClients}): for each key in the order it became ready, the clients
 * waiting for it, oldest first, retry against that key until one does not get served. Serving runs
 * in the round's heap transaction, right after the command that made the key ready, and the
 * served client's reply goes to the {@link Outbox}, so it leaves only after that transaction
 * committed — the pop is durable before its reply. A retry's own writes (BLMOVE's push) signal
 * keys too, which are served in the same pass. Every change here is journaled
 * ({@link RoundJournal}): a rolled-back round leaves nobody served or blocked by it.
 *
 * <p>Deadlines are {@link System#nanoTime()} instants; the event loop asks for the ones that
 * passed ({@link #expire}) and for the nearest ({@link #nextDeadline}) to bound its sleep.
 * Event-loop thread only.
 */
public final class Blocking {

    /** How a blocked command tries again. */
    @FunctionalInterface
    public interface Retry {
        /**
         * Tries to serve the blocked command from {@code readyKey} (one of its keys, in its
         * database), writing the reply into {@code request}; returns whether it was served (it
         * then stops being blocked). A key that is missing, empty or of another type serves
         * nothing: the command stays blocked, as in Redis.
         */
        boolean serve(Request request, byte[] readyKey);
    }

    private record Key(int db, ByteBuffer name) {}

    /** A blocked client: what it waits for, until when, and how to serve it. */
    private static final class Blocked {
        final ClientState client;
        final CommandSpec spec;
        final List<byte[]> args;
        final List<Key> keys;
        final long deadline; // Long.MAX_VALUE: forever
        final Retry retry;

        Blocked(ClientState client, CommandSpec spec, List<byte[]> args, List<Key> keys, long deadline, Retry retry) {
            this.client = client;
            this.spec = spec;
            this.args = args;
            this.keys = keys;
            this.deadline = deadline;
            this.retry = retry;
        }
    }

    private final RoundJournal journal;
    private final Outbox outbox;
    private final Map<Key, ArrayDeque<Blocked>> waiting = new HashMap<>();
    private final Map<ClientState, Blocked> byClient = new HashMap<>();
    private final Set<Key> ready = new LinkedHashSet<>();

    public Blocking(RoundJournal journal, Outbox outbox) {
        this.journal = journal;
        this.outbox = outbox;
    }

    /**
     * Parses a blocking command's timeout in seconds (fractions allowed), as Redis does;
     * Returns the deadline as a {@link System#nanoTime()} instant, or {@link Long#MAX_VALUE} for 0 (forever).
     *
     * @throws CommandError {@code timeout is not a float or out of range}, {@code timeout is negative}
     *     or {@code timeout is out of range}
     */
    public static long deadline(byte[] timeout) {
        double seconds = Numbers.parseDouble(timeout).filter(d -> !Double.isNaN(d))
                .orElseThrow(() -> new CommandError("ERR timeout is not a float or out of range"));
        double millis = Math.ceil(seconds * 1000.0);
        if (millis >= 0x1p63) {
            throw new CommandError("ERR timeout is negative"); // what redis-server 7.0 answers: its conversion overflows
        }
        long ms = (long) millis;
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (ms == 0) {
            return Long.MAX_VALUE;
        }
        if (ms > Long.MAX_VALUE - System.currentTimeMillis()) {
            throw new CommandError("ERR timeout is out of range");
        }
        long nanos = ms > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE / 2 : ms * 1_000_000;
        long at = System.nanoTime() + nanos;
        return at < 0 || at == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : at;
    }

    /**
     * Blocks the request's client on {@code keys} (of its database) until {@code deadline} (from
     * {@link #deadline}): it gets no reply now, and reads no further command until it is served,
     * times out or is unblocked.
     */
    public void block(Request request, List<byte[]> keys, long deadline, Retry retry) {
        ClientState client = request.client();
        List<Key> wanted = new ArrayList<>();
        for (byte[] k : keys) {
            Key key = new Key(client.db(), ByteBuffer.wrap(k.clone()));
            if (!wanted.contains(key)) {
                wanted.add(key);
            }
        }
        Blocked b = new Blocked(client, request.spec(), request.args(), wanted, deadline, retry);
        add(b);
        journal.onRollback(() -> remove(b));
    }

    private void add(Blocked b) {
        for (Key key : b.keys) {
            waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(b);
        }
        byClient.put(b.client, b);
        b.client.setBlocked(true);
    }

    /** Removes {@code b} everywhere; undone (journaled) by putting it back at its place in each queue. */
    private void unblock(Blocked b) {
        Map<Key, Integer> positions = new HashMap<>();
        for (Key key : b.keys) {
            ArrayDeque<Blocked> queue = waiting.get(key);
            int at = 0;
            for (Blocked other : queue) {
                if (other == b) {
                    break;
                }
                at++;
            }
            positions.put(key, at);
        }
        remove(b);
        journal.onRollback(() -> {
            for (Key key : b.keys) {
                ArrayDeque<Blocked> queue = waiting.computeIfAbsent(key, k -> new ArrayDeque<>());
                List<Blocked> list = new ArrayList<>(queue);
                list.add(Math.min(positions.get(key), list.size()), b);
                queue.clear();
                queue.addAll(list);
            }
            byClient.put(b.client, b);
            b.client.setBlocked(true);
        });
    }

    private void remove(Blocked b) {
        for (Key key : b.keys) {
            ArrayDeque<Blocked> queue = waiting.get(key);
            if (queue != null) {
                queue.remove(b);
                if (queue.isEmpty()) {
                    waiting.remove(key);
                }
            }
        }
        byClient.remove(b.client);
        b.client.setBlocked(false);
    }

    /** A write changed {@code key} of {@code db}: if someone waits for it, it is ready to be served. */
    public void signal(int db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        Key k = new Key(db, ByteBuffer.wrap(key));
        if (waiting.containsKey(k) && ready.add(new Key(db, ByteBuffer.wrap(key.clone())))) {
            journal.onRollback(() -> ready.remove(k));
        }
    }

    /** {@return whether some signalled key still waits to be served} */
    public boolean anyReady() {
        return !ready.isEmpty();
    }

    /**
     * Serves the ready keys (see the class comment), running each retry through {@code serve},
     * which builds the request and records the write. Keys signalled meanwhile are served too.
     */
    void serveReady(Server serve) {
        while (!ready.isEmpty()) {
            Key key = ready.iterator().next();
            ready.remove(key);
            journal.onRollback(() -> ready.add(key));
            ArrayDeque<Blocked> queue = waiting.get(key);
            while (queue != null && !queue.isEmpty()) {
                Blocked b = queue.peekFirst();
                RespWriter reply = new RespWriter();
                reply.setProtocol(b.client.protocol());
                if (!serve.serve(b.client, b.spec, b.args, reply, b.retry, key.name().array())) {
                    break; // the key holds nothing more for this client: the others wait too
                }
                unblock(b);
                outbox.send(b.client, reply.drain());
                queue = waiting.get(key);
            }
        }
    }

    /** Runs one retry for a blocked client (the dispatcher's part: the request, the error reply, the write record). */
    @FunctionalInterface
    interface Server {
        boolean serve(ClientState client, CommandSpec spec, List<byte[]> args, RespWriter reply, Retry retry, byte[] key);
    }

    /** {@return the nearest deadline of a blocked client, or {@link Long#MAX_VALUE} if none waits with a timeout} */
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Blocked b : byClient.values()) {
            next = Math.min(next, b.deadline);
        }
        return next;
    }

    /**
     * Unblocks every client whose deadline is before {@code now} ({@link System#nanoTime()}),
     * queuing its timeout reply (a null array, as Redis) in the outbox.
     *
     * @return whether any client timed out
     */
    public boolean expire(long now) {
        if (byClient.isEmpty()) {
            return false;
        }
        List<Blocked> expired = new ArrayList<>();
        for (Blocked b : byClient.values()) {
            if (b.deadline != Long.MAX_VALUE && b.deadline - now <= 0) {
                expired.add(b);
            }
        }
        for (Blocked b : expired) {
            unblock(b);
            outbox.send(b.client, timeoutReply(b.client));
        }
        return !expired.isEmpty();
    }

    private static byte[] timeoutReply(ClientState client) {
        RespWriter w = new RespWriter();
        w.setProtocol(client.protocol());
        return w.nullArray().drain();
    }

    /**
     * CLIENT UNBLOCK: ends the wait of the blocked client {@code id}, with its timeout reply or
     * with {@code -UNBLOCKED}; returns whether it was blocked.
     */
    public boolean unblock(long id, boolean withError) {
        for (Blocked b : byClient.values()) {
            if (b.client.id() == id) {
                unblock(b);
                outbox.send(b.client, withError
                        ? new RespWriter().error("UNBLOCKED client unblocked via CLIENT UNBLOCK").drain()
                        : timeoutReply(b.client));
                return true;
            }
        }
        return false;
    }

    /** A closed connection: forgets its wait (not journaled: a connection's end is not rolled back). */
    public void forget(ClientState client) {
        Blocked b = byClient.get(client);
        if (b != null) {
            remove(b);
        }
    }

    /** {@return how many clients are blocked (INFO's blocked_clients)} */
    public int blockedClients() {
        return byClient.size();
    }
}
