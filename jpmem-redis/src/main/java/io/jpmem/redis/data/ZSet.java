package io.jpmem.redis.data;

import io.jpmem.collections.PHashMap;
import io.jpmem.collections.PSortedMap;
import io.jpmem.objects.Persistent;

/**
 * A Redis sorted set: members by score order in a B+tree keyed by
 * {@code SortedKeys.scoreMember(score, member)} (rank queries give ZRANK and ZRANGE), and each
 * member's score in a hash map (ZSCORE in O(1)). Both change in the same transaction.
 */
@Persistent
public class ZSet {
    PSortedMap<byte[], Boolean> byScore;
    PHashMap<byte[], Double> scores;

    public ZSet() {
        byScore = new PSortedMap<>();
        scores = new PHashMap<>();
    }

    /** Removes every member. */
    public void clear() {
        byScore.clear();
        scores.clear();
    }

    public long size() {
        return scores.longSize();
    }
}
