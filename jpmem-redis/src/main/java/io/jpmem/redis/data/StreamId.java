package io.jpmem.redis.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A stream entry id: milliseconds and sequence number, both unsigned 64-bit, ordered as the pair.
 * Its {@link #key} form (16 bytes, big-endian) orders as unsigned bytes exactly as the ids order, which
 * is how the stream's sorted maps keep them.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {

    /** {@code 0-0}, below every entry id. */
    public static final StreamId MIN = new StreamId(0, 0);
    /** The largest id. */
    public static final StreamId MAX = new StreamId(-1L, -1L);

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    /** {@return whether this id is above {@code o}} */
    public boolean after(StreamId o) {
        return compareTo(o) > 0;
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** {@return the next id, or null after {@link #MAX}} */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** {@return the previous id, or null before {@link #MIN}} */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    /** {@return the 16-byte sortable key of this id} */
    public byte[] key() {
        return ByteBuffer.allocate(16).putLong(ms).putLong(seq).array();
    }

    /** {@return the id of a {@link #key}} */
    public static StreamId ofKey(byte[] key) {
        ByteBuffer b = ByteBuffer.wrap(key);
        return new StreamId(b.getLong(), b.getLong());
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** {@return {@link #toString} as bytes, for replies} */
    public byte[] bytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }
}
