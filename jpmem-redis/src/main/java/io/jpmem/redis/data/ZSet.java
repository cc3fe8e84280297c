package io.jpmem.redis.data;

import io.jpmem.collections.PHashMap;
import io.jpmem.collections.PSortedMap;
import io.jpmem.collections.SortedKeys;
import io.jpmem.objects.Persistent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Redis sorted set: members by score order in a B+tree keyed by
 * {@link SortedKeys#scoreMember} (score, then member bytes: Redis's order; rank queries give ZRANK
 * and ZRANGE), and each member's score in a hash map (ZSCORE in O(1)). Both change in the caller's
 * transaction.
 */
@Persistent
public class ZSet {
    PSortedMap<byte[], Object> byScore; // members by score: keys only, null values allocate nothing
    PHashMap<byte[], Double> scores;

    public ZSet() {
        byScore = new PSortedMap<>();
        scores = new PHashMap<>();
    }

    /** A member and its score. */
    public record Entry(byte[] member, double score) {}

    public long size() {
        return scores.longSize();
    }

    /**
     * One step of a cursor walk over the members (ZSCAN), in the member-to-score hash map's bucket
     * order, with {@code PHashMap.scan}'s guarantee; nothing is copied but the step's members.
     *
     * @return the next cursor, 0 at the end
     */
    public long scan(long cursor, java.util.function.Consumer<Entry> sink) {
        return scores.scan(cursor, (member, score) -> sink.accept(new Entry(member, score)));
    }

    /** {@return the score of {@code member}, or null} */
    public Double score(byte[] member) {
        return scores.get(member);
    }

    /** Sets a member's score. @return whether the member is new */
    public boolean put(byte[] member, double score) {
        Double old = scores.get(member);
        if (old != null) {
            if (Double.compare(old, score) == 0) {
                return false;
            }
            byScore.delete(SortedKeys.scoreMember(old, member));
        }
        byScore.set(SortedKeys.scoreMember(score, member), null);
        scores.set(member, score);
        return old == null;
    }

    /** @return whether the member was there */
    public boolean remove(byte[] member) {
        Double old = scores.get(member);
        if (old == null) {
            return false;
        }
        byScore.delete(SortedKeys.scoreMember(old, member));
        scores.delete(member);
        return true;
    }

    /** {@return the 0-based rank of {@code member} by ascending score, or -1} */
    public long rank(byte[] member) {
        Double score = scores.get(member);
        return score == null ? -1 : byScore.rankOf(SortedKeys.scoreMember(score, member));
    }

    /** {@return the entries of ranks [from, to)} */
    public List<Entry> byRank(long from, long to) {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<byte[], Object> e : byScore.entriesByRank(from, to)) {
            out.add(new Entry(SortedKeys.member(e.getKey()), SortedKeys.score(e.getKey())));
        }
        return out;
    }

    /**
     * {@return the first rank whose member fails {@code before}}, by binary search: {@code before}
     * must hold for a prefix of the ranks (as lexicographic bounds do when all scores are equal,
     * which is what Redis's BYLEX commands require).
     */
    public long firstRankNotBefore(java.util.function.Predicate<byte[]> before) {
        long lo = 0;
        long hi = size();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (before.test(SortedKeys.member(byScore.entryAtRank(mid).getKey()))) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** {@return the rank of the first member whose score is above {@code score} (or at least it, when {@code inclusive})} */
    public long firstRankFrom(double score, boolean inclusive) {
        if (!inclusive) {
            if (score == Double.POSITIVE_INFINITY) {
                return size();
            }
            score = Math.nextUp(score);
        }
        long r = byScore.rankOf(SortedKeys.scorePrefix(score));
        return r >= 0 ? r : -r - 1;
    }

    /** {@return one past the rank of the last member whose score is below {@code score} (or at most it, when {@code inclusive})} */
    public long endRankTo(double score, boolean inclusive) {
        if (inclusive) {
            if (score == Double.POSITIVE_INFINITY) {
                return size();
            }
            score = Math.nextUp(score);
        }
        long r = byScore.rankOf(SortedKeys.scorePrefix(score));
        return r >= 0 ? r : -r - 1;
    }

    /** Removes every member. */
    public void clear() {
        byScore.clear();
        scores.clear();
    }

    /** Frees the sorted set: its members, both structures and itself (in the caller's transaction). */
    public void free() {
        io.jpmem.objects.ObjectSpace space = io.jpmem.objects.ObjectSpace.of(((io.jpmem.objects.PersistentObject) this)
                .$jpmemSpace().heap());
        io.jpmem.heap.Transaction tx = space.heap().currentTransaction().orElseThrow();
        byScore.clear();
        space.free(tx, byScore); // an empty tree is its header alone
        scores.free();
        space.free(tx, this);
    }
}
