package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;

import io.jpmem.collections.PHashSet;
import io.jpmem.redis.data.ZSet;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * SINTERCARD and ZINTERCARD {@code numkeys key [key ...] [LIMIT limit]}: the size of the
 * intersection, counting stopped at {@code limit} (0: no limit), without building it. ZINTERCARD
 * takes sets as sorted sets (as the other Z set operations do). Each checks its arguments with
 * Redis 7.0's messages and in its order, which differ between the two: SINTERCARD checks the options
 * before the keys' types, ZINTERCARD the types first.
 */
final class IntersectionCardinalityCommands {

    private IntersectionCardinalityCommands() {}

    static void register(CommandTable table) {
        table.add(new CommandSpec("sintercard", -3, EnumSet.of(READONLY), 0, 0, 0, IntersectionCardinalityCommands::sintercard))
                .add(new CommandSpec("zintercard", -3, EnumSet.of(READONLY), 0, 0, 0, IntersectionCardinalityCommands::zintercard));
    }

    /** A collection seen as its members: how many, each one, and membership. */
    private record Members(long size, Iterable<byte[]> members, Predicate<byte[]> contains) {}

    private static long limit(Request r, int i) {
        long limit = Numbers.parseLong(r.arg(i)).orElse(-1);
        if (limit < 0) {
            throw new CommandError("ERR LIMIT can't be negative");
        }
        return limit;
    }

    @SuppressWarnings("unchecked")
    private static void sintercard(Request r) {
        long numkeys = Numbers.parseLong(r.arg(1)).orElse(0);
        if (numkeys < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numkeys > r.argc() - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        long limit = 0;
        for (int i = 2 + (int) numkeys; i < r.argc(); i++) {
            if (r.keyword(i).equals("LIMIT") && i + 1 < r.argc()) {
                limit = limit(r, ++i);
            } else {
                throw CommandError.syntax();
            }
        }
        List<Members> sets = new ArrayList<>();
        for (int i = 2; i < 2 + numkeys; i++) {
            PHashSet<byte[]> set = CollectionCommands.existing(r, r.arg(i), PHashSet.class);
            sets.add(set == null ? null : new Members(set.size(), set, set::contains));
        }
        r.reply().integer(count(sets, limit));
    }

    @SuppressWarnings("unchecked")
    private static void zintercard(Request r) {
        long numkeys = r.longArg(1);
        if (numkeys < 1) {
            throw new CommandError("ERR at least 1 input key is needed for 'zintercard' command");
        }
        if (numkeys > r.argc() - 2) {
            throw CommandError.syntax();
        }
        List<Members> sets = new ArrayList<>();
        for (int i = 2; i < 2 + numkeys; i++) {
            Object value = r.server().dataset().lookup(r.client().db(), r.arg(i));
            sets.add(switch (value) {
                case null -> null;
                case ZSet z -> new Members(z.size(), () -> z.byRank(0, z.size()).stream().map(ZSet.Entry::member).iterator(),
                        m -> z.score(m) != null);
                case PHashSet<?> s -> new Members(s.size(), (PHashSet<byte[]>) s, ((PHashSet<byte[]>) s)::contains);
                default -> throw CommandError.wrongType();
            });
        }
        long limit = 0;
        for (int i = 2 + (int) numkeys; i < r.argc(); i++) {
            if (r.keyword(i).equals("LIMIT") && i + 1 < r.argc()) {
                limit = limit(r, ++i);
            } else {
                throw CommandError.syntax();
            }
        }
        r.reply().integer(count(sets, limit));
    }

    /** {@return the intersection's size, up to {@code limit} (0: all)}; a null set is an empty one */
    private static long count(List<Members> sets, long limit) {
        if (sets.contains(null)) {
            return 0;
        }
        Members smallest = sets.stream().min(java.util.Comparator.comparingLong(Members::size)).orElseThrow();
        long count = 0;
        for (byte[] member : smallest.members()) {
            boolean everywhere = true;
            for (Members other : sets) {
                if (other != smallest && !other.contains().test(member)) {
                    everywhere = false;
                    break;
                }
            }
            if (everywhere && ++count == limit) {
                break;
            }
        }
        return count;
    }
}
