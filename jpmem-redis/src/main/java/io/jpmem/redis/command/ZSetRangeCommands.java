package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.existing;
import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.ZSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * The sorted-set range commands, as Redis 7's one {@code zrangeGenericCommand} parses them: ZRANGE
 * (by rank, BYSCORE or BYLEX, REV, LIMIT, WITHSCORES), ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
 * ZRANGEBYLEX, ZREVRANGEBYLEX and ZRANGESTORE; and the other lexicographic-range commands,
 * ZLEXCOUNT and ZREMRANGEBYLEX.
 */
public final class ZSetRangeCommands {

    private ZSetRangeCommands() {}

    /** How a range is given. */
    private enum By { AUTO, RANK, SCORE, LEX }

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> read = EnumSet.of(READONLY);
        table.add(spec("zrange", -4, read, 1, 1, 1, r -> range(r, 1, false, By.AUTO, null)))
                .add(spec("zrevrange", -4, read, 1, 1, 1, r -> range(r, 1, false, By.RANK, true)))
                .add(spec("zrangebyscore", -4, read, 1, 1, 1, r -> range(r, 1, false, By.SCORE, false)))
                .add(spec("zrevrangebyscore", -4, read, 1, 1, 1, r -> range(r, 1, false, By.SCORE, true)))
                .add(spec("zrangebylex", -4, read, 1, 1, 1, r -> range(r, 1, false, By.LEX, false)))
                .add(spec("zrevrangebylex", -4, read, 1, 1, 1, r -> range(r, 1, false, By.LEX, true)))
                .add(spec("zrangestore", -5, EnumSet.of(WRITE, DENY_OOM), 1, 2, 1, r -> range(r, 2, true, By.AUTO, null)))
                .add(spec("zlexcount", 4, EnumSet.of(READONLY, CommandSpec.Flag.FAST), 1, 1, 1, r -> {
                    LexRange range = LexRange.parse(r, 2, 3);
                    ZSet z = existing(r, r.arg(1), ZSet.class);
                    long[] span = z == null ? new long[] {0, 0} : range.span(z);
                    r.reply().integer(span[1] - span[0]);
                }))
                .add(spec("zremrangebylex", 4, EnumSet.of(WRITE), 1, 1, 1, r -> {
                    LexRange range = LexRange.parse(r, 2, 3);
                    ZSet z = existing(r, r.arg(1), ZSet.class);
                    if (z == null) {
                        r.reply().integer(0);
                        return;
                    }
                    long[] span = range.span(z);
                    List<ZSet.Entry> doomed = z.byRank(span[0], span[1]);
                    ZSetCommands.removed(r, z, doomed);
                    r.reply().integer(doomed.size());
                }));
    }

    /**
     * A lexicographic range: {@code [a} (inclusive), {@code (a} (exclusive), {@code -} and {@code +}
     * (the ends); members compare as unsigned bytes, as Redis's memcmp.
     */
    record LexRange(byte[] min, boolean minInclusive, byte[] max, boolean maxInclusive) {

        private static final byte[] MINUS = {};
        private static final byte[] PLUS = {};

        static LexRange parse(Request r, int minArg, int maxArg) {
            byte[] min = r.arg(minArg);
            byte[] max = r.arg(maxArg);
            if (!valid(min) || !valid(max)) {
                throw new CommandError("ERR min or max not valid string range item");
            }
            return new LexRange(item(min), min[0] == '[', item(max), max[0] == '[');
        }

        private static boolean valid(byte[] item) {
            return item.length > 0 && (item[0] == '[' || item[0] == '(' || item.length == 1 && (item[0] == '-' || item[0] == '+'));
        }

        private static byte[] item(byte[] arg) {
            if (arg[0] == '-' || arg[0] == '+') {
                return arg[0] == '-' ? MINUS : PLUS;
            }
            return Arrays.copyOfRange(arg, 1, arg.length);
        }

        /** {@return whether {@code member} is below the minimum} */
        boolean belowMin(byte[] member) {
            if (min == MINUS || min == PLUS) {
                return min == PLUS;
            }
            int c = Arrays.compareUnsigned(member, min);
            return minInclusive ? c < 0 : c <= 0;
        }

        /** {@return whether {@code member} is at most the maximum} */
        boolean atMostMax(byte[] member) {
            if (max == MINUS || max == PLUS) {
                return max == PLUS;
            }
            int c = Arrays.compareUnsigned(member, max);
            return maxInclusive ? c <= 0 : c < 0;
        }

        /** {@return the ranks [from, to) of the members in the range; from == to if none} */
        long[] span(ZSet z) {
            long from = z.firstRankNotBefore(this::belowMin);
            long to = z.firstRankNotBefore(this::atMostMax);
            return from >= to ? new long[] {0, 0} : new long[] {from, to};
        }
    }

    /**
     * Redis's zrangeGenericCommand: the options after {@code key min max} first, then the range,
     * then the key. {@code by} and {@code reverse} are fixed by the command's name unless AUTO/null
     * (ZRANGE, ZRANGESTORE: the options choose). ZRANGESTORE stores the entries at argument 1.
     */
    private static void range(Request r, int keyAt, boolean store, By by, Boolean reverse) {
        boolean scores = false;
        long offset = 0;
        long limit = -1;
        for (int i = keyAt + 3; i < r.argc(); i++) {
            String option = r.keyword(i);
            if (!store && option.equals("WITHSCORES")) {
                scores = true;
            } else if (option.equals("LIMIT") && r.argc() - i - 1 >= 2) {
                offset = r.longArg(i + 1);
                limit = r.longArg(i + 2);
                i += 2;
            } else if (reverse == null && option.equals("REV")) {
                reverse = true;
            } else if (by == By.AUTO && option.equals("BYSCORE")) {
                by = By.SCORE;
            } else if (by == By.AUTO && option.equals("BYLEX")) {
                by = By.LEX;
            } else {
                throw CommandError.syntax();
            }
        }
        boolean rev = reverse != null && reverse;
        if (by == By.AUTO) {
            by = By.RANK;
        }
        if (limit != -1 && by == By.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (scores && by == By.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        int minAt = rev && by != By.RANK ? keyAt + 2 : keyAt + 1;
        int maxAt = rev && by != By.RANK ? keyAt + 1 : keyAt + 2;
        long start = 0;
        long stop = 0;
        ZSetCommands.Bound minScore = null;
        ZSetCommands.Bound maxScore = null;
        LexRange lex = null;
        switch (by) {
            case SCORE -> {
                minScore = ZSetCommands.bound(r, minAt);
                maxScore = ZSetCommands.bound(r, maxAt);
            }
            case LEX -> lex = LexRange.parse(r, minAt, maxAt);
            default -> {
                start = r.longArg(minAt);
                stop = r.longArg(maxAt);
            }
        }
        ZSet z = existing(r, r.arg(keyAt), ZSet.class);
        List<ZSet.Entry> entries;
        if (z == null) {
            entries = List.of();
        } else if (by == By.RANK) {
            long size = z.size();
            long[] span = CollectionCommands.indexRange(start, stop, size);
            entries = rev ? reversed(z.byRank(size - span[1], size - span[0])) : z.byRank(span[0], span[1]);
        } else {
            long[] span = by == By.SCORE ? ZSetCommands.scoreSpan(z, minScore, maxScore) : lex.span(z);
            entries = limit(z, span, rev, offset, limit);
        }
        if (store) {
            ZSetCommands.store(r, r.arg(1), entries);
        } else {
            ZSetCommands.reply(r, entries, false, scores);
        }
    }

    /** {@return the entries of ranks [span[0], span[1]) in the order asked, LIMIT applied as Redis does} */
    private static List<ZSet.Entry> limit(ZSet z, long[] span, boolean reverse, long offset, long limit) {
        long n = span[1] - span[0];
        if (offset < 0 || offset > 0 && offset >= z.size() || offset >= n) {
            return List.of();
        }
        long take = limit < 0 ? n - offset : Math.min(limit, n - offset);
        if (take == 0) {
            return List.of();
        }
        if (!reverse) {
            return z.byRank(span[0] + offset, span[0] + offset + take);
        }
        long to = span[1] - offset;
        return reversed(z.byRank(to - take, to));
    }

    private static List<ZSet.Entry> reversed(List<ZSet.Entry> entries) {
        List<ZSet.Entry> out = new ArrayList<>(entries);
        java.util.Collections.reverse(out);
        return out;
    }
}
