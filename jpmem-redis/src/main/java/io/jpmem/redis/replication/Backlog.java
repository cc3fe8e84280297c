package io.jpmem.redis.replication;

/**
 * The replication backlog: the last {@code capacity} bytes of the replication stream, in a ring,
 * with their place in it, so that a replica that reconnects can be sent what it missed
 * ({@code +CONTINUE}) instead of a new full copy. Stream bytes are numbered from 1: after
 * {@link #append}ing n bytes in all, {@link #end()} is n (Redis's master_repl_offset) and the
 * backlog holds bytes {@link #first()} to {@link #end()}. Event-loop thread only.
 */
public final class Backlog {

    private byte[] ring;
    /** The stream's length: the number of the last byte appended. */
    private long end;
    /** How many of the last bytes the ring holds. */
    private int held;

    /** An empty backlog of {@code capacity} bytes whose stream is {@code end} bytes long already. */
    public Backlog(int capacity, long end) {
        this.ring = new byte[Math.max(16, capacity)];
        this.end = end;
    }

    /** {@return the ring's size} */
    public int capacity() {
        return ring.length;
    }

    /** {@return the number of the stream's last byte (0: none yet)} */
    public long end() {
        return end;
    }

    /** {@return the number of the first byte held (end + 1 when none is)} */
    public long first() {
        return end - held + 1;
    }

    /** {@return how many bytes are held} */
    public int held() {
        return held;
    }

    /** Appends stream bytes, dropping the oldest beyond the capacity. */
    public void append(byte[] bytes) {
        int n = bytes.length;
        int from = 0;
        if (n > ring.length) {
            from = n - ring.length;
        }
        for (int i = from; i < n; ) {
            int at = (int) ((end + i + 1) % ring.length); // byte number k lives at k % capacity
            int run = Math.min(n - i, ring.length - at);
            System.arraycopy(bytes, i, ring, at, run);
            i += run;
        }
        end += n;
        held = (int) Math.min(ring.length, (long) held + n);
    }

    /**
     * {@return the bytes from number {@code from} to the end, or null if the backlog does not hold
     * byte {@code from - 1}'s successor (from must be within first() .. end() + 1)}
     */
    public byte[] from(long from) {
        if (from < first() || from > end + 1) {
            return null;
        }
        int n = (int) (end - from + 1);
        byte[] out = new byte[n];
        for (int i = 0; i < n; ) {
            int at = (int) ((from + i) % ring.length);
            int run = Math.min(n - i, ring.length - at);
            System.arraycopy(ring, at, out, i, run);
            i += run;
        }
        return out;
    }

    /** Changes the capacity, keeping as many of the newest bytes as fit. */
    public void resize(int capacity) {
        int size = Math.max(16, capacity);
        if (size == ring.length) {
            return;
        }
        byte[] kept = from(first());
        long at = end;
        ring = new byte[size];
        end = at - kept.length;
        held = 0;
        append(kept);
    }
}
