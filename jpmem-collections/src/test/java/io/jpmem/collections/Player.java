package io.jpmem.collections;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.TypeLayout;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.Wrap;
import io.jpmem.objects.spi.RawPersistentObject;

/** A hand-written persistent class that is Comparable by its score: an OBJECT key for PSortedMap. */
@SuppressWarnings("exports") // a test class: its supertype is exported to the jpmem modules only
public final class Player extends RawPersistentObject implements Comparable<Player> {

    public static TypeLayout $jpmem$layout() {
        return TypeLayout.ofRecord(Player.class.getName(), 8,
                FieldLayout.of("score", FieldKind.LONG, 0));
    }

    public Player(long score) {
        allocateHeader();
        heap().transaction(tx -> tx.putLong(header(), score));
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
