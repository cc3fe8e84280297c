package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.deleteIfEmpty;
import static io.jpmem.redis.command.CollectionCommands.existing;
import static io.jpmem.redis.command.CollectionCommands.orCreate;
import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.ZSet;
import io.jpmem.redis.protocol.RespWriter;
import java.util.EnumSet;
import java.util.List;

/** The sorted-set commands, on {@link ZSet} (a B+tree with subtree counts plus a score map). */
public final class ZSetCommands {

    private ZSetCommands() {}

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> read = EnumSet.of(READONLY, FAST);
        table.add(spec("zadd", -4, EnumSet.of(WRITE, DENY_OOM, FAST), 1, 1, 1, ZSetCommands::zadd))
                .add(spec("zincrby", 4, EnumSet.of(WRITE, DENY_OOM, FAST), 1, 1, 1, ZSetCommands::zincrby))
                .add(spec("zscore", 3, read, 1, 1, 1, r -> {
                    ZSet z = zset(r);
                    Double score = z == null ? null : z.score(r.arg(2));
                    if (score == null) {
                        r.reply().nullBulk();
                    } else {
                        r.reply().dbl(score);
                    }
                }))
                .add(spec("zmscore", -3, read, 1, 1, 1, r -> {
                    ZSet z = zset(r);
                    RespWriter w = r.reply().array(r.argc() - 2);
                    for (int i = 2; i < r.argc(); i++) {
                        Double score = z == null ? null : z.score(r.arg(i));
                        if (score == null) {
                            w.nullBulk();
                        } else {
                            w.dbl(score);
                        }
                    }
                }))
                .add(spec("zcard", 2, read, 1, 1, 1, r -> {
                    ZSet z = zset(r);
                    r.reply().integer(z == null ? 0 : z.size());
                }))
                .add(spec("zrem", -3, EnumSet.of(WRITE, FAST), 1, 1, 1, ZSetCommands::zrem))
                .add(spec("zrank", 3, read, 1, 1, 1, r -> rank(r, false)))
                .add(spec("zrevrank", 3, read, 1, 1, 1, r -> rank(r, true)))
                .add(spec("zcount", 4, read, 1, 1, 1, ZSetCommands::zcount))
                .add(spec("zremrangebyrank", 4, EnumSet.of(WRITE), 1, 1, 1, ZSetCommands::zremrangebyrank))
                .add(spec("zremrangebyscore", 4, EnumSet.of(WRITE), 1, 1, 1, ZSetCommands::zremrangebyscore))
                .add(spec("zpopmin", -2, EnumSet.of(WRITE, FAST), 1, 1, 1, r -> pop(r, false)))
                .add(spec("zpopmax", -2, EnumSet.of(WRITE, FAST), 1, 1, 1, r -> pop(r, true)))
                .add(spec("zscan", -3, EnumSet.of(READONLY), 1, 1, 1, r -> CollectionCommands.scan(r, ZSet.class,
                        z -> z::scan, ZSet.Entry::member, 2, (w, e) -> w.bulk(e.member()).bulk(scanScore(e.score())))));
    }

    /**
     * A score as ZSCAN gives it: Redis 7.0's d2string — integers below 2^52 as such, {@code inf},
     * {@code -inf}, {@code -0}, else C's {@code %.17g} (17 significant digits, trailing zeros
     * dropped, an exponent below 1e-4 or from 1e17 on), unlike the shortest form of ZSCORE.
     */
    static String scanScore(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1.0 / value < 0 ? "-0" : "0";
        }
        if (value > -4503599627370495.0 && value < 4503599627370496.0 && value == (long) value) {
            return Long.toString((long) value);
        }
        java.math.BigDecimal d = new java.math.BigDecimal(value).round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            String mantissa = d.movePointLeft(exponent).stripTrailingZeros().toPlainString();
            int e = Math.abs(exponent);
            return mantissa + (exponent < 0 ? "e-" : "e+") + (e < 10 ? "0" : "") + e;
        }
        return d.stripTrailingZeros().toPlainString();
    }

    private static ZSet zset(Request r) {
        return existing(r, r.arg(1), ZSet.class);
    }

    private static void zadd(Request r) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int i = 2;
        for (boolean option = true; option && i < r.argc(); ) {
            switch (r.keyword(i)) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                case "CH" -> ch = true;
                case "INCR" -> incr = true;
                default -> option = false;
            }
            if (option) {
                i++;
            }
        }
        int pairs = r.argc() - i;
        if (pairs <= 0 || pairs % 2 != 0) {
            throw CommandError.syntax();
        }
        if (nx && xx) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if (gt && lt || (gt || lt) && nx) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && pairs > 2) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[pairs / 2];
        for (int p = 0; p < scores.length; p++) {
            scores[p] = r.scoreArg(i + 2 * p);
        }
        ZSet z = existing(r, r.arg(1), ZSet.class);
        if (z == null && xx) {
            if (incr) {
                r.reply().nullBulk();
            } else {
                r.reply().integer(0);
            }
            return;
        }
        if (z == null) {
            z = orCreate(r, r.arg(1), ZSet.class, ZSet::new);
        }
        long added = 0;
        long changed = 0;
        Double result = null;
        for (int p = 0; p < scores.length; p++) {
            byte[] member = r.arg(i + 2 * p + 1);
            Double old = z.score(member);
            double score = scores[p];
            if (incr) {
                score = (old == null ? 0 : old) + score;
                if (Double.isNaN(score)) {
                    throw new CommandError("ERR resulting score is not a number (NaN)");
                }
            }
            if (old == null ? xx : nx || gt && score <= old || lt && score >= old) {
                continue;
            }
            if (z.put(member, score)) {
                added++;
            } else if (old != score) {
                changed++;
            }
            result = score;
        }
        deleteIfEmpty(r, r.arg(1), z.size() == 0);
        if (added + changed > 0) {
            r.modified(r.arg(1));
        }
        if (incr) {
            if (result == null) {
                r.reply().nullBulk();
            } else {
                r.reply().dbl(result);
            }
        } else {
            r.reply().integer(ch ? added + changed : added);
        }
    }

    private static void zincrby(Request r) {
        double by = r.scoreArg(2);
        ZSet z = orCreate(r, r.arg(1), ZSet.class, ZSet::new);
        Double old = z.score(r.arg(3));
        double score = (old == null ? 0 : old) + by;
        if (Double.isNaN(score)) {
            throw new CommandError("ERR resulting score is not a number (NaN)");
        }
        z.put(r.arg(3), score);
        if (old == null || old != score) {
            r.modified(r.arg(1));
        }
        r.reply().dbl(score);
    }

    private static void zrem(Request r) {
        ZSet z = zset(r);
        int removed = 0;
        if (z != null) {
            for (int i = 2; i < r.argc(); i++) {
                if (z.remove(r.arg(i))) {
                    removed++;
                }
            }
            deleteIfEmpty(r, r.arg(1), z.size() == 0);
        }
        if (removed > 0) {
            r.modified(r.arg(1));
        }
        r.reply().integer(removed);
    }

    private static void rank(Request r, boolean reverse) {
        ZSet z = zset(r);
        long rank = z == null ? -1 : z.rank(r.arg(2));
        if (rank < 0) {
            r.reply().nullBulk();
        } else {
            r.reply().integer(reverse ? z.size() - 1 - rank : rank);
        }
    }

    /** A score bound: {@code 1.5}, {@code (1.5} (exclusive), {@code -inf}, {@code +inf}. */
    record Bound(double score, boolean inclusive) {}

    static Bound bound(Request r, int i) {
        byte[] arg = r.arg(i);
        boolean exclusive = arg.length > 0 && arg[0] == '(';
        byte[] number = exclusive ? java.util.Arrays.copyOfRange(arg, 1, arg.length) : arg;
        double score = Numbers.parseDouble(number).orElseThrow(() -> new CommandError("ERR min or max is not a float"));
        return new Bound(score, !exclusive);
    }

    static long[] scoreSpan(ZSet z, Bound min, Bound max) {
        long from = z.firstRankFrom(min.score(), min.inclusive());
        long to = z.endRankTo(max.score(), max.inclusive());
        return from >= to ? new long[] {0, 0} : new long[] {from, to};
    }

    private static void zcount(Request r) {
        Bound min = bound(r, 2);
        Bound max = bound(r, 3);
        ZSet z = zset(r);
        if (z == null) {
            r.reply().integer(0);
            return;
        }
        long[] span = scoreSpan(z, min, max);
        r.reply().integer(span[1] - span[0]);
    }

    static void reply(Request r, List<ZSet.Entry> entries, boolean reverse, boolean scores) {
        if (reverse) {
            entries = new java.util.ArrayList<>(entries);
            java.util.Collections.reverse(entries);
        }
        RespWriter w = r.reply();
        if (scores && w.protocol() == 3) {
            w.array(entries.size());
            entries.forEach(e -> w.array(2).bulk(e.member()).dbl(e.score()));
            return;
        }
        w.array(scores ? 2 * entries.size() : entries.size());
        for (ZSet.Entry e : entries) {
            w.bulk(e.member());
            if (scores) {
                w.dbl(e.score());
            }
        }
    }

    /**
     * Stores {@code entries} as the sorted set {@code destination} (ZUNIONSTORE, ZRANGESTORE, ...):
     * its old value of any type is freed and its expiry dropped; an empty result deletes it. Replies
     * with the number of members stored.
     */
    static void store(Request r, byte[] destination, List<ZSet.Entry> entries) {
        int db = r.client().db();
        if (CollectionCommands.data(r).delete(db, destination) || !entries.isEmpty()) {
            r.modified(destination); // the destination only (the sources are only read), and only if it changes
        }
        if (!entries.isEmpty()) {
            ZSet target = orCreate(r, destination, ZSet.class, ZSet::new);
            entries.forEach(e -> target.put(e.member(), e.score()));
        }
        r.reply().integer(entries.size());
    }

    private static void zremrangebyrank(Request r) {
        long start = r.longArg(2);
        long stop = r.longArg(3);
        ZSet z = zset(r);
        if (z == null) {
            r.reply().integer(0);
            return;
        }
        long[] span = CollectionCommands.indexRange(start, stop, z.size());
        List<ZSet.Entry> doomed = z.byRank(span[0], span[1]);
        removed(r, z, doomed);
        r.reply().integer(doomed.size());
    }

    private static void zremrangebyscore(Request r) {
        Bound min = bound(r, 2);
        Bound max = bound(r, 3);
        ZSet z = zset(r);
        if (z == null) {
            r.reply().integer(0);
            return;
        }
        long[] span = scoreSpan(z, min, max);
        List<ZSet.Entry> doomed = z.byRank(span[0], span[1]);
        removed(r, z, doomed);
        r.reply().integer(doomed.size());
    }

    /** Removes {@code doomed} from the sorted set at argument 1, deleting it if emptied; a change for WATCH if any. */
    static void removed(Request r, ZSet z, List<ZSet.Entry> doomed) {
        doomed.forEach(e -> z.remove(e.member()));
        deleteIfEmpty(r, r.arg(1), z.size() == 0);
        if (!doomed.isEmpty()) {
            r.modified(r.arg(1));
        }
    }

    private static void pop(Request r, boolean max) {
        if (r.argc() > 3) {
            throw CommandError.syntax();
        }
        long count = r.argc() == 3 ? CollectionCommands.positive(r, 2) : 1;
        ZSet z = zset(r);
        if (z == null) {
            r.reply().array(0);
            return;
        }
        long n = Math.min(count, z.size());
        List<ZSet.Entry> popped = max ? z.byRank(z.size() - n, z.size()) : z.byRank(0, n);
        removed(r, z, popped);
        reply(r, popped, max, true);
    }
}
