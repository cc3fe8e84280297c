package io.jpmem.collections;

import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.spi.RawPersistentObject;
import io.jpmem.objects.Wrap;

/** A hand-written persistent class that is Comparable by its score: an OBJECT key for PSortedMap. */
public final class Player extends RawPersistentObject implements Comparable<Player> {

    public static String $jpmem$layout() {
        return "8;score:LONG:0";
    }

    public Player(long score) {
        allocateHeader();
        atomically(tx -> tx.putLong(header(), score));
    }

    public Player(Wrap wrap, ObjectSpace space, long ref) {
        super(wrap, space, ref);
    }

    public long score() {
        return heap().getLong(header());
    }

    @Override
    public int compareTo(Player other) {
        return Long.compare(score(), other.score());
    }
}
