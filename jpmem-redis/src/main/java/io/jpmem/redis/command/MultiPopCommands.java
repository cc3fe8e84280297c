package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.collections.PDeque;
import io.jpmem.redis.data.ZSet;
import io.jpmem.redis.protocol.RespWriter;
import java.util.EnumSet;
import java.util.List;

/**
 * LMPOP and ZMPOP, the non-blocking forms: {@code numkeys key [key ...] LEFT|RIGHT|MIN|MAX [COUNT n]}
 * pops up to {@code n} elements from the first of the keys that holds a non-empty list (sorted set)
 * and answers {@code [key, elements]}, or a null array if none does. The arguments are checked in
 * Redis 7.0's order (numkeys, the side, the options), then the keys in turn: a key of another type
 * met before a non-empty one is WRONGTYPE. {@link #parse} is meant to be shared with the blocking forms.
 */
public final class MultiPopCommands {

    private MultiPopCommands() {}

    public static void register(CommandTable table) {
        table.add(new CommandSpec("lmpop", -4, EnumSet.of(WRITE), 0, 0, 0, MultiPopCommands::lmpop))
                .add(new CommandSpec("zmpop", -4, EnumSet.of(WRITE), 0, 0, 0, MultiPopCommands::zmpop));
    }

    /** A parsed {@code numkeys key... side [COUNT n]}: the keys' argument range, which end, how many. */
    record Arguments(int firstKey, int keys, boolean fromStart, long count) {}

    /**
     * Parses {@code numkeys key [key ...] side [COUNT count]} from argument {@code numkeysAt}; the side
     * is {@code first} (LEFT, MIN: from the start) or {@code last}.
     */
    static Arguments parse(Request r, int numkeysAt, String first, String last) {
        long numkeys = Numbers.parseLong(r.arg(numkeysAt)).orElse(0);
        if (numkeys < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        long sideAt = numkeysAt + numkeys + 1;
        if (sideAt >= r.argc()) {
            throw CommandError.syntax();
        }
        String side = r.keyword((int) sideAt);
        if (!side.equals(first) && !side.equals(last)) {
            throw CommandError.syntax();
        }
        long count = -1;
        for (int i = (int) sideAt + 1; i < r.argc(); i++) {
            if (count == -1 && r.keyword(i).equals("COUNT") && i + 1 < r.argc()) {
                count = Numbers.parseLong(r.arg(++i)).orElse(0);
                if (count < 1) {
                    throw new CommandError("ERR count should be greater than 0");
                }
            } else {
                throw CommandError.syntax();
            }
        }
        return new Arguments(numkeysAt + 1, (int) numkeys, side.equals(first), count == -1 ? 1 : count);
    }

    @SuppressWarnings("unchecked")
    private static void lmpop(Request r) {
        Arguments a = parse(r, 1, "LEFT", "RIGHT");
        for (int i = a.firstKey(); i < a.firstKey() + a.keys(); i++) {
            PDeque<byte[]> list = CollectionCommands.existing(r, r.arg(i), PDeque.class);
            if (list == null || list.isEmpty()) {
                continue;
            }
            int n = (int) Math.min(a.count(), list.size());
            RespWriter w = r.reply().array(2).bulk(r.arg(i)).array(n);
            for (int j = 0; j < n; j++) {
                w.bulk(a.fromStart() ? list.pollFirst() : list.pollLast());
            }
            CollectionCommands.deleteIfEmpty(r, r.arg(i), list.isEmpty());
            r.modified(r.arg(i));
            return;
        }
        r.reply().nullArray();
    }

    private static void zmpop(Request r) {
        Arguments a = parse(r, 1, "MIN", "MAX");
        for (int i = a.firstKey(); i < a.firstKey() + a.keys(); i++) {
            ZSet z = CollectionCommands.existing(r, r.arg(i), ZSet.class);
            if (z == null || z.size() == 0) {
                continue;
            }
            long n = Math.min(a.count(), z.size());
            List<ZSet.Entry> popped = new java.util.ArrayList<>(a.fromStart() ? z.byRank(0, n) : z.byRank(z.size() - n, z.size()));
            if (!a.fromStart()) {
                java.util.Collections.reverse(popped);
            }
            popped.forEach(e -> z.remove(e.member()));
            CollectionCommands.deleteIfEmpty(r, r.arg(i), z.size() == 0);
            r.modified(r.arg(i));
            RespWriter w = r.reply().array(2).bulk(r.arg(i)).array(popped.size());
            popped.forEach(e -> w.array(2).bulk(e.member()).dbl(e.score()));
            return;
        }
        r.reply().nullArray();
    }
}
