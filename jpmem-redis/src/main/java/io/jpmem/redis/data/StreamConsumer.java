package io.jpmem.redis.data;

import io.jpmem.collections.PSortedMap;
import io.jpmem.objects.Persistent;

/**
 * A consumer of a stream's consumer group: when it was last seen (Unix milliseconds) and the ids of
 * the entries delivered to it and not yet acknowledged (its part of the group's pending entries
 * list, keyed by {@link StreamId#key}, with no values).
 */
@Persistent
public class StreamConsumer {
    long seenTime;
    PSortedMap<byte[], Object> pending;

    StreamConsumer(long seenTime) {
        this.seenTime = seenTime;
        pending = new PSortedMap<>();
    }

    /** {@return when it was last seen, Unix milliseconds} */
    public long seenTime() {
        return seenTime;
    }

    /** Sets when it was last seen. */
    public void seen(long unixMillis) {
        seenTime = unixMillis;
    }

    /** {@return how many entries are pending for it} */
    public long pendingCount() {
        return pending.sizeLong();
    }

    /** {@return its pending ids from {@code from} on, ascending, at most {@code count} (-1: all)} */
    public java.util.List<StreamId> pendingIds(StreamId from, StreamId to, long count) {
        java.util.List<StreamId> out = new java.util.ArrayList<>();
        long r = pending.rankOf(from.key());
        r = r >= 0 ? r : -r - 1;
        if (r >= pending.sizeLong()) {
            return out;
        }
        var it = pending.iteratorFromRank(r, false);
        while (it.hasNext() && (count < 0 || out.size() < count)) {
            StreamId id = StreamId.ofKey(it.next().getKey());
            if (id.after(to)) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    void free(io.jpmem.objects.ObjectSpace space, io.jpmem.heap.Transaction tx) {
        pending.clear();
        space.free(tx, pending);
        space.free(tx, this);
    }
}
