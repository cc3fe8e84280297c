package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.collections.PHashSet;
import io.jpmem.redis.data.ZSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ZUNION, ZINTER, ZDIFF and their STORE forms, as Redis 7's zunionInterDiffGenericCommand: inputs
 * may be sorted sets or sets (a set member scores 1), WEIGHTS multiply each input's scores and
 * AGGREGATE SUM|MIN|MAX combines a member's scores (not for ZDIFF, whose scores are the first
 * input's); a sum of +inf and -inf, or a weight of 0 times an infinite score, counts as 0.
 */
public final class ZSetAlgebraCommands {

    private ZSetAlgebraCommands() {}

    private enum Op { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> store = EnumSet.of(WRITE, DENY_OOM);
        EnumSet<CommandSpec.Flag> read = EnumSet.of(READONLY);
        table.add(spec("zunionstore", -4, store, 1, 1, 1, r -> combine(r, "zunionstore", Op.UNION, true)))
                .add(spec("zinterstore", -4, store, 1, 1, 1, r -> combine(r, "zinterstore", Op.INTER, true)))
                .add(spec("zdiffstore", -4, store, 1, 1, 1, r -> combine(r, "zdiffstore", Op.DIFF, true)))
                .add(spec("zunion", -3, read, 0, 0, 0, r -> combine(r, "zunion", Op.UNION, false)))
                .add(spec("zinter", -3, read, 0, 0, 0, r -> combine(r, "zinter", Op.INTER, false)))
                .add(spec("zdiff", -3, read, 0, 0, 0, r -> combine(r, "zdiff", Op.DIFF, false)));
    }

    /** One input: a sorted set, a set (every member scores 1) or a missing key (empty), and its weight. */
    private static final class Source {
        final Object value;
        double weight = 1;

        Source(Object value) {
            this.value = value;
        }

        long size() {
            return switch (value) {
                case ZSet z -> z.size();
                case PHashSet<?> s -> s.size();
                case null, default -> 0;
            };
        }

        /** {@return the (unweighted) score of {@code member}, or null if it is not a member} */
        Double score(byte[] member) {
            return switch (value) {
                case ZSet z -> z.score(member);
                case PHashSet<?> s -> s.contains(member) ? 1.0 : null;
                case null, default -> null;
            };
        }

        @SuppressWarnings("unchecked")
        List<ZSet.Entry> entries() {
            return switch (value) {
                case ZSet z -> z.byRank(0, z.size());
                case PHashSet<?> s -> {
                    List<ZSet.Entry> out = new ArrayList<>(s.size());
                    ((PHashSet<byte[]>) s).forEach(m -> out.add(new ZSet.Entry(m, 1)));
                    yield out;
                }
                case null, default -> List.of();
            };
        }
    }

    /**
     * {@code [destination] numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]}:
     * numkeys, then the keys' types, then the options are checked, in Redis's order, before anything
     * changes; the STORE forms replace the destination (deleted if the result is empty).
     */
    private static void combine(Request r, String name, Op op, boolean store) {
        int numkeysAt = store ? 2 : 1;
        long numkeys = r.longArg(numkeysAt);
        if (numkeys < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + name + "' command");
        }
        if (numkeys > r.argc() - numkeysAt - 1) {
            throw CommandError.syntax();
        }
        int n = (int) numkeys;
        List<Source> sources = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object value = CollectionCommands.data(r).lookup(r.client().db(), r.arg(numkeysAt + 1 + i));
            if (value != null && !(value instanceof ZSet) && !(value instanceof PHashSet<?>)) {
                throw CommandError.wrongType();
            }
            sources.add(new Source(value));
        }
        Aggregate aggregate = Aggregate.SUM;
        boolean scores = false;
        for (int i = numkeysAt + 1 + n; i < r.argc(); i++) {
            int remaining = r.argc() - i;
            String option = r.keyword(i);
            if (op != Op.DIFF && remaining >= n + 1 && option.equals("WEIGHTS")) {
                for (int k = 0; k < n; k++) {
                    sources.get(k).weight = Numbers.parseDoubleInRange(r.arg(++i))
                            .orElseThrow(() -> new CommandError("ERR weight value is not a float"));
                }
            } else if (op != Op.DIFF && remaining >= 2 && option.equals("AGGREGATE")) {
                aggregate = switch (r.keyword(++i)) {
                    case "SUM" -> Aggregate.SUM;
                    case "MIN" -> Aggregate.MIN;
                    case "MAX" -> Aggregate.MAX;
                    default -> throw CommandError.syntax();
                };
            } else if (!store && option.equals("WITHSCORES")) {
                scores = true;
            } else {
                throw CommandError.syntax();
            }
        }
        List<ZSet.Entry> result = switch (op) {
            case UNION -> union(sources, aggregate);
            case INTER -> inter(sources, aggregate);
            case DIFF -> diff(sources);
        };
        result.sort(Comparator.<ZSet.Entry>comparingDouble(e -> e.score() == 0 ? 0.0 : e.score()) // -0.0 ties 0.0, as in Redis
                .thenComparing(ZSet.Entry::member, Arrays::compareUnsigned));
        if (store) {
            ZSetCommands.store(r, r.arg(1), result);
        } else {
            ZSetCommands.reply(r, result, false, scores);
        }
    }

    /** The sources smallest first (Redis's order of work, which is also the order scores are summed in). */
    private static List<Source> bySize(List<Source> sources) {
        List<Source> sorted = new ArrayList<>(sources);
        sorted.sort(Comparator.comparingLong(Source::size));
        return sorted;
    }

    /** {@return {@code weight * score}, 0 when that is NaN (0 times an infinity)} */
    private static double weighted(Source s, double score) {
        double value = s.weight * score;
        return Double.isNaN(value) ? 0 : value;
    }

    private static double aggregate(Aggregate how, double target, double value) {
        return switch (how) {
            case SUM -> {
                double sum = target + value;
                yield Double.isNaN(sum) ? 0 : sum; // inf + -inf
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    private static List<ZSet.Entry> union(List<Source> sources, Aggregate how) {
        Map<ByteBuffer, Double> acc = new LinkedHashMap<>();
        for (Source s : bySize(sources)) {
            for (ZSet.Entry e : s.entries()) {
                double score = weighted(s, e.score());
                acc.merge(ByteBuffer.wrap(e.member()), score, (old, v) -> aggregate(how, old, v));
            }
        }
        return entries(acc);
    }

    private static List<ZSet.Entry> inter(List<Source> sources, Aggregate how) {
        List<Source> sorted = bySize(sources);
        List<ZSet.Entry> out = new ArrayList<>();
        if (sorted.get(0).size() == 0) {
            return out;
        }
        Source first = sorted.get(0);
        members:
        for (ZSet.Entry e : first.entries()) {
            double score = weighted(first, e.score());
            for (int j = 1; j < sorted.size(); j++) {
                Source other = sorted.get(j);
                Double found = other.score(e.member());
                if (found == null) {
                    continue members;
                }
                score = aggregate(how, score, other.weight * found); // no NaN fix-up here, as in Redis
            }
            out.add(new ZSet.Entry(e.member(), score));
        }
        return out;
    }

    private static List<ZSet.Entry> diff(List<Source> sources) {
        List<ZSet.Entry> out = new ArrayList<>();
        members:
        for (ZSet.Entry e : sources.get(0).entries()) {
            for (int j = 1; j < sources.size(); j++) {
                if (sources.get(j).score(e.member()) != null) {
                    continue members;
                }
            }
            out.add(e);
        }
        return out;
    }

    private static List<ZSet.Entry> entries(Map<ByteBuffer, Double> acc) {
        List<ZSet.Entry> out = new ArrayList<>(acc.size());
        acc.forEach((m, score) -> out.add(new ZSet.Entry(m.array(), score)));
        return out;
    }
}
