package io.jpmem.redis.data;

import io.jpmem.collections.PSortedMap;
import io.jpmem.objects.Persistent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Redis stream in the persistent heap: entries by id in a B+tree keyed by {@link StreamId#key}
 * (each entry's field/value pairs one compact block, see {@link StreamEntry}), the model of Redis's
 * listpack nodes that approximate trimming needs ({@link StreamNodes}), the consumer groups by name,
 * and the stream's counters: the last id generated, the largest id deleted by XDEL, and the number
 * of entries ever added. Every change runs in the caller's transaction.
 */
@Persistent
public class Stream {
    PSortedMap<byte[], byte[]> entries;
    PSortedMap<byte[], byte[]> nodes;
    PSortedMap<byte[], StreamGroup> groups;
    long lastMs;
    long lastSeq;
    long maxDeletedMs;
    long maxDeletedSeq;
    long entriesAdded;

    public Stream() {
        entries = new PSortedMap<>();
        nodes = new PSortedMap<>();
        groups = new PSortedMap<>();
    }

    public long length() {
        return entries.sizeLong();
    }

    /** {@return the last id generated (0-0 for a new stream)} */
    public StreamId lastId() {
        return new StreamId(lastMs, lastSeq);
    }

    public void setLastId(StreamId id) {
        lastMs = id.ms();
        lastSeq = id.seq();
    }

    /** {@return the largest id XDEL removed (0-0 if none)} */
    public StreamId maxDeletedId() {
        return new StreamId(maxDeletedMs, maxDeletedSeq);
    }

    public void setMaxDeletedId(StreamId id) {
        maxDeletedMs = id.ms();
        maxDeletedSeq = id.seq();
    }

    /** {@return how many entries were ever added} */
    public long entriesAdded() {
        return entriesAdded;
    }

    public void setEntriesAdded(long n) {
        entriesAdded = n;
    }

    /** {@return the id of the first entry, or 0-0 when there is none} */
    public StreamId firstId() {
        return entries.isEmpty() ? StreamId.MIN : StreamId.ofKey(entries.firstKey());
    }

    /** {@return the first or last entry, or null} */
    public StreamEntry edge(boolean first) {
        Map.Entry<byte[], byte[]> e = first ? entries.firstEntry() : entries.lastEntry();
        return e == null ? null : StreamEntry.decode(StreamId.ofKey(e.getKey()), e.getValue());
    }

    /** {@return the entry of {@code id}, or null} */
    public StreamEntry get(StreamId id) {
        byte[] block = entries.get(id.key());
        return block == null ? null : StreamEntry.decode(id, block);
    }

    /** {@return how many listpack nodes Redis would hold this stream in} */
    public long nodeCount() {
        return StreamNodes.count(nodes);
    }

    /**
     * Appends an entry whose id is above {@link #lastId}: it becomes the last id, and the
     * entries-added counter counts it.
     */
    public void append(StreamId id, List<byte[]> fieldsValues) {
        StreamNodes.append(nodes, id, fieldsValues);
        entries.set(id.key(), StreamEntry.encode(fieldsValues));
        setLastId(id);
        entriesAdded++;
    }

    /** Deletes the entry of {@code id} (XDEL). @return whether it was there */
    public boolean delete(StreamId id) {
        if (!entries.delete(id.key())) {
            return false;
        }
        StreamNodes.deleted(nodes, id);
        return true;
    }

    /**
     * Trims as XTRIM and XADD do (see {@link StreamNodes#trim}).
     *
     * @param maxLength the length to trim to, or -1 to trim by {@code minId}
     * @param limit the most entries to remove by whole nodes (0: no limit)
     * @return the number of entries removed
     */
    public long trim(long maxLength, StreamId minId, boolean approximate, long limit) {
        return StreamNodes.trim(this, maxLength, minId, approximate, limit);
    }

    /** Removes up to {@code count} (-1: all) entries with ids in [from, to], from the first; {@return how many} */
    long removeEntries(StreamId from, StreamId to, long count) {
        long removed = 0;
        for (StreamEntry e : range(from, to, count, false)) {
            entries.delete(e.id().key());
            removed++;
        }
        return removed;
    }

    /**
     * {@return the entries with ids in [from, to], ascending (descending from {@code to} when
     * {@code reverse}), at most {@code count} of them (-1: all)}
     */
    public List<StreamEntry> range(StreamId from, StreamId to, long count, boolean reverse) {
        List<StreamEntry> out = new ArrayList<>();
        if (from.after(to) || count == 0 || entries.isEmpty()) {
            return out;
        }
        long r = entries.rankOf((reverse ? to : from).key());
        if (r < 0) {
            r = -r - 1;
            if (reverse) {
                r--;
            }
        }
        if (r < 0 || r >= entries.sizeLong()) {
            return out;
        }
        Iterator<Map.Entry<byte[], byte[]>> it = entries.iteratorFromRank(r, reverse);
        while (it.hasNext() && (count < 0 || out.size() < count)) {
            Map.Entry<byte[], byte[]> e = it.next();
            StreamId id = StreamId.ofKey(e.getKey());
            if (reverse ? from.after(id) : id.after(to)) {
                break;
            }
            out.add(StreamEntry.decode(id, e.getValue()));
        }
        return out;
    }

    // ------------------------------------------------------------------ consumer groups

    /** {@return the group named {@code name}, or null} */
    public StreamGroup group(byte[] name) {
        return groups.get(name);
    }

    /** {@return a new group named {@code name} (which must not exist)} */
    public StreamGroup createGroup(byte[] name, StreamId lastId, long entriesRead) {
        StreamGroup g = new StreamGroup(lastId, entriesRead);
        groups.set(name, g);
        return g;
    }

    /** Destroys group {@code name}. @return whether it existed */
    public boolean destroyGroup(byte[] name) {
        StreamGroup g = groups.get(name);
        if (g == null) {
            return false;
        }
        groups.delete(name);
        g.free();
        return true;
    }

    public long groupCount() {
        return groups.sizeLong();
    }

    /** {@return the groups in name order} */
    public List<Map.Entry<byte[], StreamGroup>> groups() {
        return new ArrayList<>(groups.entrySet());
    }

    // ------------------------------------------------------------------ consumer-group lag (Redis 7.0)

    /**
     * {@return whether an entry with an id in [from, to] may have been deleted by XDEL}: the largest
     * deleted id lies in that range and not before the first entry (Redis keeps no other record of
     * deletions).
     */
    public boolean mayHaveTombstones(StreamId from, StreamId to) {
        StreamId d = maxDeletedId();
        if (length() == 0 || d.isZero() || firstId().after(d)) {
            return false; // empty, never deleted from, or every deletion was before the first entry
        }
        return from.compareTo(d) <= 0 && d.compareTo(to) <= 0;
    }

    /**
     * {@return how many entries were added up to and including {@code id}, when the stream's
     * counters tell it (no deletion inside the stream), else {@link StreamGroup#UNKNOWN_ENTRIES_READ}}
     */
    public long entriesReadAt(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        int toLast = id.compareTo(lastId());
        if (length() == 0 && toLast <= 0) {
            return entriesAdded;
        }
        if (toLast == 0) {
            return entriesAdded;
        }
        if (toLast > 0) {
            return StreamGroup.UNKNOWN_ENTRIES_READ;
        }
        StreamId first = firstId();
        if (maxDeletedId().isZero() || maxDeletedId().compareTo(first) < 0) {
            int toFirst = id.compareTo(first);
            if (toFirst < 0) {
                return entriesAdded - length();
            }
            if (toFirst == 0) {
                return entriesAdded - length() + 1;
            }
        }
        return StreamGroup.UNKNOWN_ENTRIES_READ;
    }

    /** {@return the lag of {@code group} (entries added and not yet read; negative after XSETID lowered the count), or null when it cannot be told} */
    public Long lag(StreamGroup group) {
        if (entriesAdded == 0) {
            return 0L;
        }
        if (group.entriesRead() != StreamGroup.UNKNOWN_ENTRIES_READ && !mayHaveTombstones(group.lastId(), StreamId.MAX)) {
            return entriesAdded - group.entriesRead();
        }
        long read = entriesReadAt(group.lastId());
        return read == StreamGroup.UNKNOWN_ENTRIES_READ ? null : entriesAdded - read;
    }

    /**
     * Records that {@code group} was delivered entry {@code id}, above its last id: its last id moves
     * there and its entries-read counter counts it (or is estimated again).
     */
    public void delivered(StreamGroup group, StreamId id) {
        if (group.entriesRead() != StreamGroup.UNKNOWN_ENTRIES_READ && !mayHaveTombstones(id, StreamId.MAX)) {
            group.setEntriesRead(group.entriesRead() + 1);
        } else if (entriesAdded != 0) {
            group.setEntriesRead(entriesReadAt(id));
        }
        group.setLastId(id);
    }

    /** Frees the stream: entries, nodes, groups and itself (in the caller's transaction). */
    public void free() {
        io.jpmem.objects.ObjectSpace space = io.jpmem.objects.ObjectSpace.of(((io.jpmem.objects.PersistentObject) this)
                .$jpmemSpace().heap());
        io.jpmem.heap.Transaction tx = space.heap().currentTransaction().orElseThrow();
        for (StreamGroup g : groups.values()) {
            g.free();
        }
        groups.clear();
        space.free(tx, groups);
        entries.clear();
        space.free(tx, entries);
        nodes.clear();
        space.free(tx, nodes);
        space.free(tx, this);
    }

    /** {@return a deep copy, new in the caller's transaction (COPY)} */
    public Stream copy() {
        Stream out = new Stream();
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            out.entries.set(e.getKey(), e.getValue());
        }
        for (Map.Entry<byte[], byte[]> e : nodes.entrySet()) {
            out.nodes.set(e.getKey(), e.getValue());
        }
        out.lastMs = lastMs;
        out.lastSeq = lastSeq;
        out.maxDeletedMs = maxDeletedMs;
        out.maxDeletedSeq = maxDeletedSeq;
        out.entriesAdded = entriesAdded;
        for (Map.Entry<byte[], StreamGroup> e : groups.entrySet()) {
            StreamGroup g = e.getValue();
            StreamGroup c = out.createGroup(e.getKey(), g.lastId(), g.entriesRead());
            for (Map.Entry<byte[], StreamConsumer> ce : g.consumers()) {
                c.createConsumer(ce.getKey(), ce.getValue().seenTime());
            }
            for (StreamGroup.Pending p : g.pendingRange(StreamId.MIN, StreamId.MAX, -1)) {
                c.setPending(p);
            }
        }
        return out;
    }
}
