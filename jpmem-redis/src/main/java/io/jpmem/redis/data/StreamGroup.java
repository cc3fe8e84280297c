package io.jpmem.redis.data;

import io.jpmem.collections.PSortedMap;
import io.jpmem.objects.Persistent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A consumer group of a stream: the last id delivered, the entries-read counter (-1 when unknown),
 * the pending entries list (PEL: entry id to owning consumer, last delivery time and delivery
 * count) and the consumers by name. Every change runs in the caller's transaction.
 *
 * <p>Invariant: an id is in a consumer's own pending set exactly when the group's PEL names that
 * consumer for it.
 */
@Persistent
public class StreamGroup {
    long lastMs;
    long lastSeq;
    long entriesRead;
    PSortedMap<byte[], byte[]> pel; // id key -> [delivery time 8][delivery count 8][consumer name]
    PSortedMap<byte[], StreamConsumer> consumers;

    /** The entries-read counter's value when it is not known. */
    public static final long UNKNOWN_ENTRIES_READ = -1;

    StreamGroup(StreamId lastId, long entriesRead) {
        lastMs = lastId.ms();
        lastSeq = lastId.seq();
        this.entriesRead = entriesRead;
        pel = new PSortedMap<>();
        consumers = new PSortedMap<>();
    }

    /** A pending entry: its id, the consumer that owns it, when it was last delivered (Unix ms) and how often. */
    public record Pending(StreamId id, byte[] consumer, long deliveryTime, long deliveryCount) {

        byte[] encode() {
            return ByteBuffer.allocate(16 + consumer.length).putLong(deliveryTime).putLong(deliveryCount).put(consumer).array();
        }

        static Pending decode(StreamId id, byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long time = b.getLong();
            long count = b.getLong();
            return new Pending(id, Arrays.copyOfRange(bytes, 16, bytes.length), time, count);
        }
    }

    public StreamId lastId() {
        return new StreamId(lastMs, lastSeq);
    }

    public void setLastId(StreamId id) {
        lastMs = id.ms();
        lastSeq = id.seq();
    }

    /** {@return the entries-read counter, or {@link #UNKNOWN_ENTRIES_READ}} */
    public long entriesRead() {
        return entriesRead;
    }

    public void setEntriesRead(long n) {
        entriesRead = n;
    }

    // ------------------------------------------------------------------ the pending entries list

    public long pendingCount() {
        return pel.sizeLong();
    }

    /** {@return the largest pending id (the PEL must not be empty)} */
    public StreamId lastPendingId() {
        return StreamId.ofKey(pel.lastKey());
    }

    /** {@return the pending entry of {@code id}, or null} */
    public Pending pending(StreamId id) {
        byte[] v = pel.get(id.key());
        return v == null ? null : Pending.decode(id, v);
    }

    /**
     * {@return the pending entries with ids in [from, to], ascending, at most {@code count} (-1: all)}
     */
    public List<Pending> pendingRange(StreamId from, StreamId to, long count) {
        List<Pending> out = new ArrayList<>();
        long r = pel.rankOf(from.key());
        r = r >= 0 ? r : -r - 1;
        if (r >= pel.sizeLong()) {
            return out;
        }
        Iterator<Map.Entry<byte[], byte[]>> it = pel.iteratorFromRank(r, false);
        while (it.hasNext() && (count < 0 || out.size() < count)) {
            Map.Entry<byte[], byte[]> e = it.next();
            StreamId id = StreamId.ofKey(e.getKey());
            if (id.after(to)) {
                break;
            }
            out.add(Pending.decode(id, e.getValue()));
        }
        return out;
    }

    /**
     * Records {@code p} in the PEL, moving the id from its previous owner's pending set to
     * {@code p.consumer()}'s (which must exist).
     */
    public void setPending(Pending p) {
        byte[] key = p.id().key();
        byte[] old = pel.get(key);
        if (old != null) {
            byte[] owner = Pending.decode(p.id(), old).consumer();
            if (!Arrays.equals(owner, p.consumer())) {
                consumers.get(owner).pending.delete(key);
                consumers.get(p.consumer()).pending.set(key, null);
            }
        } else {
            consumers.get(p.consumer()).pending.set(key, null);
        }
        pel.set(key, p.encode());
    }

    /** Removes {@code id} from the PEL and its owner's pending set. @return whether it was pending */
    public boolean acknowledge(StreamId id) {
        byte[] key = id.key();
        byte[] old = pel.get(key);
        if (old == null) {
            return false;
        }
        consumers.get(Pending.decode(id, old).consumer()).pending.delete(key);
        pel.delete(key);
        return true;
    }

    // ------------------------------------------------------------------ consumers

    /** {@return the consumer named {@code name}, or null} */
    public StreamConsumer consumer(byte[] name) {
        return consumers.get(name);
    }

    /** {@return a new consumer named {@code name} (which must not exist), seen at {@code now}} */
    public StreamConsumer createConsumer(byte[] name, long now) {
        StreamConsumer c = new StreamConsumer(now);
        consumers.set(name, c);
        return c;
    }

    public long consumerCount() {
        return consumers.sizeLong();
    }

    /** {@return the consumers in name order} */
    public List<Map.Entry<byte[], StreamConsumer>> consumers() {
        return new ArrayList<>(consumers.entrySet());
    }

    /**
     * Deletes consumer {@code name} and its pending entries from the PEL.
     *
     * @return how many entries were pending for it, or -1 if there is no such consumer
     */
    public long deleteConsumer(byte[] name) {
        StreamConsumer c = consumers.get(name);
        if (c == null) {
            return -1;
        }
        long n = 0;
        for (byte[] key : new ArrayList<>(c.pending.keySet())) {
            pel.delete(key);
            n++;
        }
        consumers.delete(name);
        c.free(space(), tx());
        return n;
    }

    private io.jpmem.objects.ObjectSpace space() {
        return io.jpmem.objects.ObjectSpace.of(((io.jpmem.objects.PersistentObject) this).$jpmemSpace().heap());
    }

    private io.jpmem.heap.Transaction tx() {
        return space().heap().currentTransaction().orElseThrow();
    }

    /** Frees the group: its PEL, its consumers and itself (in the caller's transaction). */
    void free() {
        io.jpmem.objects.ObjectSpace space = space();
        io.jpmem.heap.Transaction tx = tx();
        for (StreamConsumer c : consumers.values()) {
            c.free(space, tx);
        }
        consumers.clear();
        space.free(tx, consumers);
        pel.clear();
        space.free(tx, pel);
        space.free(tx, this);
    }
}
