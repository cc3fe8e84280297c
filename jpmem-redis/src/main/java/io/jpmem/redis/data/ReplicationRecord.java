package io.jpmem.redis.data;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.Persistent;

/**
 * The server's place in a replication history, kept in the heap (root {@value #ROOT}) so that a
 * restart keeps it: the replication id (40 hex characters), the offset (bytes of the replication
 * stream the dataset reflects), the previous id and the offset up to which it is valid (after a
 * replica is promoted, its replicas may continue with the old id), and the database the stream
 * last selected (a replica continuing a stream needs it). Changed in the caller's transaction
 * (the round's, so the offset and the data it describes commit together).
 */
@Persistent
public class ReplicationRecord {

    /** The heap root naming the record. */
    public static final String ROOT = "jpmem-redis-replication";

    String replid;
    String replid2;
    long offset;
    long secondOffset;
    int streamDb;

    ReplicationRecord(String replid) {
        this.replid = checked(replid);
        this.replid2 = "0".repeat(40);
        this.secondOffset = -1;
        this.streamDb = -1;
    }

    /**
     * {@return the record of {@code heap}} Creates it, with {@code freshId} and offset 0, if the heap
     * has none.
     */
    public static ReplicationRecord open(PersistentHeap heap, String freshId) {
        ObjectSpace space = ObjectSpace.of(heap);
        return heap.transactionResult(tx -> {
            ReplicationRecord r = space.root(ROOT, ReplicationRecord.class);
            if (r == null) {
                r = new ReplicationRecord(freshId);
                space.setRoot(ROOT, r);
            }
            return r;
        });
    }

    private static String checked(String id) {
        if (id.length() != 40) {
            throw new IllegalArgumentException("a replication id has 40 characters: " + id);
        }
        return id;
    }

    /** {@return the replication id} */
    public String replid() {
        return replid;
    }

    /** Sets the replication id (in the caller's transaction). */
    public void replid(String id) {
        replid = checked(id);
    }

    /** {@return the previous replication id (forty zeros: none)} */
    public String replid2() {
        return replid2;
    }

    /** Sets the previous replication id and the offset up to which it is valid. */
    public void previous(String id, long validUpTo) {
        replid2 = checked(id);
        secondOffset = validUpTo;
    }

    /** {@return the offset up to which the previous id is valid (-1: none)} */
    public long secondOffset() {
        return secondOffset;
    }

    /** {@return the replication offset} */
    public long offset() {
        return offset;
    }

    /** Sets the replication offset. */
    public void offset(long value) {
        offset = value;
    }

    /** {@return the database the stream last selected (-1: none yet)} */
    public int streamDb() {
        return streamDb;
    }

    /** Sets the database the stream last selected. */
    public void streamDb(int db) {
        streamDb = db;
    }
}
