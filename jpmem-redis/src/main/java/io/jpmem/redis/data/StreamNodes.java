package io.jpmem.redis.data;

import io.jpmem.collections.PSortedMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A model of how Redis 7.0 cuts a stream into listpack nodes, so that approximate trimming
 * ({@code MAXLEN ~}, {@code MINID ~}), which in Redis removes whole nodes only, removes exactly the
 * entries Redis would.
 *
 * <p><b>Design.</b> The entries themselves live in the stream's own sorted map; this model keeps,
 * per node (keyed by its master id, the id of its first entry ever), what decides Redis's cuts: the
 * count of live and of deleted entries, the listpack's byte size, the id of its last entry (deleted
 * or not) and its master fields. The sizes follow the documented listpack encoding (integers that a
 * string spells strictly are stored as integers; each element is followed by its back-length) and
 * the stream entry layout (flags, id deltas from the master id, values alone when the fields are the
 * master's, else field count and pairs, then the element count). A new node starts when the tail
 * node holds {@value #MAX_ENTRIES} entries (deleted ones included) or its bytes plus the new entry's
 * field and value lengths reach {@value #MAX_BYTES}: Redis's {@code stream-node-max-entries} and
 * {@code stream-node-max-bytes} defaults. XDEL removes a node when its last live entry goes;
 * trimming removes whole nodes, and an exact trim marks entries of the first node left as deleted.
 */
final class StreamNodes {

    static final int MAX_ENTRIES = 100;
    static final int MAX_BYTES = 4096;
    private static final int HEADER_AND_END = 7;

    private StreamNodes() {}

    /** One node: live and deleted entry counts, its elements' bytes (less the two counts), its last id, its master fields. */
    record Node(long live, long deleted, long bodyBytes, StreamId last, List<byte[]> masterFields) {

        long bytes() {
            return HEADER_AND_END + integer(live) + integer(deleted) + bodyBytes;
        }

        byte[] encode() {
            int size = 8 * 5 + 4;
            for (byte[] f : masterFields) {
                size += 4 + f.length;
            }
            ByteBuffer b = ByteBuffer.allocate(size).putLong(live).putLong(deleted).putLong(bodyBytes)
                    .putLong(last.ms()).putLong(last.seq()).putInt(masterFields.size());
            for (byte[] f : masterFields) {
                b.putInt(f.length).put(f);
            }
            return b.array();
        }

        static Node decode(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long live = b.getLong();
            long deleted = b.getLong();
            long body = b.getLong();
            StreamId last = new StreamId(b.getLong(), b.getLong());
            int n = b.getInt();
            List<byte[]> fields = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] f = new byte[b.getInt()];
                b.get(f);
                fields.add(f);
            }
            return new Node(live, deleted, body, last, fields);
        }

        Node withCounts(long live, long deleted) {
            return new Node(live, deleted, bodyBytes, last, masterFields);
        }
    }

    /** Records the append of entry {@code id} with {@code fieldsValues} (field, value, ...) to the tail. */
    static void append(PSortedMap<byte[], byte[]> nodes, StreamId id, List<byte[]> fieldsValues) {
        Map.Entry<byte[], byte[]> tail = nodes.lastEntry();
        long elementBytes = 0;
        for (byte[] fv : fieldsValues) {
            elementBytes += fv.length;
        }
        if (tail != null) {
            Node node = Node.decode(tail.getValue());
            if (node.bytes() + elementBytes < MAX_BYTES && node.live() + node.deleted() < MAX_ENTRIES) {
                StreamId master = StreamId.ofKey(tail.getKey());
                long body = node.bodyBytes() + entryBytes(master, id, fieldsValues, node.masterFields());
                nodes.set(tail.getKey(), new Node(node.live() + 1, node.deleted(), body, id, node.masterFields()).encode());
                return;
            }
        }
        List<byte[]> fields = new ArrayList<>();
        for (int i = 0; i < fieldsValues.size(); i += 2) {
            fields.add(fieldsValues.get(i));
        }
        long master = integer(fields.size()) + integer(0);
        for (byte[] f : fields) {
            master += element(f);
        }
        long body = master + entryBytes(id, id, fieldsValues, fields);
        nodes.set(id.key(), new Node(1, 0, body, id, fields).encode());
    }

    /** {@return the bytes of one entry's elements in a node of master id {@code master} and {@code masterFields}} */
    private static long entryBytes(StreamId master, StreamId id, List<byte[]> fieldsValues, List<byte[]> masterFields) {
        boolean same = fieldsValues.size() / 2 == masterFields.size();
        for (int i = 0; same && i < masterFields.size(); i++) {
            same = Arrays.equals(fieldsValues.get(2 * i), masterFields.get(i));
        }
        long bytes = integer(2) + integer(id.ms() - master.ms()) + integer(id.seq() - master.seq());
        int n = fieldsValues.size() / 2;
        if (same) {
            for (int i = 1; i < fieldsValues.size(); i += 2) {
                bytes += element(fieldsValues.get(i));
            }
            return bytes + integer(n + 3);
        }
        bytes += integer(n);
        for (byte[] fv : fieldsValues) {
            bytes += element(fv);
        }
        return bytes + integer(2L * n + 4);
    }

    /** Records that live entry {@code id} was deleted (XDEL): its node counts it deleted, and goes with its last live entry. */
    static void deleted(PSortedMap<byte[], byte[]> nodes, StreamId id) {
        Map.Entry<byte[], byte[]> e = nodes.floorEntry(id.key());
        Node node = Node.decode(e.getValue());
        if (node.live() == 1) {
            nodes.delete(e.getKey());
        } else {
            nodes.set(e.getKey(), node.withCounts(node.live() - 1, node.deleted() + 1).encode());
        }
    }

    /**
     * Trims the stream as Redis 7.0 does: whole nodes from the head while the rule allows and
     * {@code limit} (0: none) is not passed; then, unless {@code approximate}, entries of the first
     * node left one at a time.
     *
     * @param maxLength the length to trim to, or -1 to trim by {@code minId}
     * @return the number of entries removed
     */
    static long trim(Stream stream, long maxLength, StreamId minId, boolean approximate, long limit) {
        PSortedMap<byte[], byte[]> nodes = stream.nodes;
        long removed = 0;
        while (!nodes.isEmpty()) {
            if (maxLength >= 0 && stream.length() <= maxLength) {
                break;
            }
            Map.Entry<byte[], byte[]> first = nodes.firstEntry();
            Node node = Node.decode(first.getValue());
            if (limit > 0 && removed + node.live() > limit) {
                break;
            }
            boolean whole = maxLength >= 0 ? stream.length() - node.live() >= maxLength : node.last().compareTo(minId) < 0;
            StreamId master = StreamId.ofKey(first.getKey());
            Map.Entry<byte[], byte[]> next = nodes.higherEntry(first.getKey());
            if (whole) {
                StreamId end = next == null ? StreamId.MAX : StreamId.ofKey(next.getKey()).previous();
                removed += stream.removeEntries(master, end, -1);
                nodes.delete(first.getKey());
                continue;
            }
            if (approximate) {
                break;
            }
            long n = maxLength >= 0 ? stream.length() - maxLength : -1;
            StreamId end = maxLength >= 0 ? node.last() : minId.previous();
            long gone = end == null ? 0 : stream.removeEntries(master, end, n);
            removed += gone;
            if (gone > 0) {
                nodes.set(first.getKey(), node.withCounts(node.live() - gone, node.deleted() + gone).encode());
            }
            break;
        }
        return removed;
    }

    /** {@return how many nodes the stream has (XINFO STREAM's radix-tree-keys)} */
    static long count(PSortedMap<byte[], byte[]> nodes) {
        return nodes.sizeLong();
    }

    /** {@return the bytes of listpack element {@code s}: an integer if it spells one strictly, else a string} */
    static long element(byte[] s) {
        OptionalLong asInteger = s.length <= 20 ? io.jpmem.redis.command.Numbers.parseLong(s) : OptionalLong.empty();
        if (asInteger.isPresent()) {
            return integer(asInteger.getAsLong());
        }
        long n = s.length;
        long encoded = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
        return encoded + backLength(encoded);
    }

    /** {@return the bytes of listpack integer element {@code v}} */
    static long integer(long v) {
        long encoded;
        if (v >= 0 && v <= 127) {
            encoded = 1;
        } else if (v >= -4096 && v <= 4095) {
            encoded = 2;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            encoded = 3;
        } else if (v >= -(1 << 23) && v < (1 << 23)) {
            encoded = 4;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            encoded = 5;
        } else {
            encoded = 9;
        }
        return encoded + backLength(encoded);
    }

    private static long backLength(long l) {
        return l < 128 ? 1 : l < 16384 ? 2 : l < 2097152 ? 3 : l < 268435456 ? 4 : 5;
    }
}
