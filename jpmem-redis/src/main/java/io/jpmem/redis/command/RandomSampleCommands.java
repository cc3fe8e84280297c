package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;

import io.jpmem.collections.PHashMap;
import io.jpmem.redis.data.ZSet;
import io.jpmem.redis.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ZRANDMEMBER {@code key [count [WITHSCORES]]} and HRANDFIELD {@code key [count [WITHVALUES]]}: one
 * random member (field), or {@code count} distinct ones (all when there are fewer), or for a
 * negative count {@code -count} drawn with repetition. With scores (values) a RESP2 reply is flat
 * and a RESP3 reply an array of pairs, as Redis 7.0's. Arguments are checked before the key, in
 * Redis's order and with its messages (a count outside ±(2^63-1), or past ±2^62 with scores, is
 * out of range).
 */
final class RandomSampleCommands {

    private RandomSampleCommands() {}

    static void register(CommandTable table) {
        table.add(new CommandSpec("zrandmember", -2, EnumSet.of(READONLY), 1, 1, 1, r -> sample(r, "WITHSCORES", RandomSampleCommands::zsetPairs)))
                .add(new CommandSpec("hrandfield", -2, EnumSet.of(READONLY), 1, 1, 1, r -> sample(r, "WITHVALUES", RandomSampleCommands::hashPairs)));
    }

    /** A member and what WITHSCORES / WITHVALUES adds to it. */
    private record Pair(byte[] name, Object with) {}

    private static List<Pair> zsetPairs(Request r) {
        ZSet z = CollectionCommands.existing(r, r.arg(1), ZSet.class);
        if (z == null) {
            return null;
        }
        List<Pair> pairs = new ArrayList<>((int) z.size());
        z.byRank(0, z.size()).forEach(e -> pairs.add(new Pair(e.member(), e.score())));
        return pairs;
    }

    @SuppressWarnings("unchecked")
    private static List<Pair> hashPairs(Request r) {
        PHashMap<byte[], byte[]> h = CollectionCommands.existing(r, r.arg(1), PHashMap.class);
        if (h == null) {
            return null;
        }
        List<Pair> pairs = new ArrayList<>(h.size());
        h.forEach((field, value) -> pairs.add(new Pair(field, value)));
        return pairs;
    }

    private static void sample(Request r, String withOption, java.util.function.Function<Request, List<Pair>> load) {
        if (r.argc() == 2) {
            List<Pair> all = load.apply(r);
            r.reply().bulk(all == null ? null : all.get(ThreadLocalRandom.current().nextInt(all.size())).name());
            return;
        }
        long count = r.longArg(2);
        if (count == Long.MIN_VALUE) {
            throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        boolean with = false;
        if (r.argc() > 4 || r.argc() == 4 && !r.keyword(3).equals(withOption)) {
            throw CommandError.syntax();
        } else if (r.argc() == 4) {
            with = true;
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                throw new CommandError("ERR value is out of range");
            }
        }
        List<Pair> all = load.apply(r);
        if (all == null || count == 0) {
            r.reply().array(0);
            return;
        }
        List<Pair> picked;
        if (count < 0) {
            picked = new ArrayList<>();
            for (long i = 0; i < -count; i++) {
                picked.add(all.get(ThreadLocalRandom.current().nextInt(all.size())));
            }
        } else {
            Collections.shuffle(all, ThreadLocalRandom.current());
            picked = all.subList(0, (int) Math.min(count, all.size()));
        }
        RespWriter w = r.reply();
        boolean pairs = with && w.protocol() == 3;
        w.array(with && !pairs ? 2 * picked.size() : picked.size());
        for (Pair p : picked) {
            if (pairs) {
                w.array(2);
            }
            w.bulk(p.name());
            if (with) {
                if (p.with() instanceof Double score) {
                    w.dbl(score);
                } else {
                    w.bulk((byte[]) p.with());
                }
            }
        }
    }
}
