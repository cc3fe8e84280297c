package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.BLOCKING;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.collections.PDeque;
import io.jpmem.redis.data.ZSet;
import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The blocking pops: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP, as
 * Redis 7.0 runs them. Each checks its arguments (the timeout included) first, then serves at once
 * if one of its keys holds data (in key order; a key of another type is WRONGTYPE); otherwise it
 * replies as on a timeout when it cannot block (inside MULTI/EXEC) or blocks the client on its keys
 * ({@link Blocking}). Served later, it pops from the key that became ready, and is logged for
 * {@link WriteListener}s as the non-blocking command that did the work (LPOP, LMOVE, ZPOPMIN...).
 */
public final class BlockingCommands {

    private BlockingCommands() {}

    @SuppressWarnings("rawtypes")
    private static final Class<PDeque> LIST = PDeque.class;

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> pop = EnumSet.of(WRITE, BLOCKING);
        EnumSet<CommandSpec.Flag> move = EnumSet.of(WRITE, DENY_OOM, BLOCKING);
        table.add(new CommandSpec("blpop", -3, pop, 1, -2, 1, r -> listPop(r, true)))
                .add(new CommandSpec("brpop", -3, pop, 1, -2, 1, r -> listPop(r, false)))
                .add(new CommandSpec("brpoplpush", 4, move, 1, 2, 1, r -> listMove(r, false, true, 3)))
                .add(new CommandSpec("blmove", 6, move, 1, 2, 1, BlockingCommands::blmove))
                .add(new CommandSpec("blmpop", -5, pop, 0, 0, 0, BlockingCommands::blmpop))
                .add(new CommandSpec("bzpopmin", -3, pop, 1, -2, 1, r -> zsetPop(r, false)))
                .add(new CommandSpec("bzpopmax", -3, pop, 1, -2, 1, r -> zsetPop(r, true)))
                .add(new CommandSpec("bzmpop", -5, pop, 0, 0, 0, BlockingCommands::bzmpop));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ lists

    @SuppressWarnings("unchecked")
    private static PDeque<byte[]> list(Request r, byte[] key) {
        return CollectionCommands.existing(r, key, LIST);
    }

    /** {@return the list at {@code key} if it holds elements, null if it is missing} @throws CommandError WRONGTYPE */
    private static PDeque<byte[]> nonEmptyList(Request r, byte[] key) {
        PDeque<byte[]> list = list(r, key);
        return list == null || list.isEmpty() ? null : list;
    }

    /** {@return whether {@code key} now holds a non-empty list (a key of another type is not ready)} */
    private static boolean readyList(Request r, byte[] key) {
        Object value = r.server().dataset().lookup(r.client().db(), key);
        return value instanceof PDeque<?> d && !d.isEmpty();
    }

    /** Pops up to {@code count} elements from the list at {@code key}, deleting it if emptied. */
    private static List<byte[]> popFrom(Request r, PDeque<byte[]> list, byte[] key, boolean left, long count) {
        List<byte[]> popped = new ArrayList<>();
        while (popped.size() < count && !list.isEmpty()) {
            popped.add(left ? list.pollFirst() : list.pollLast());
        }
        CollectionCommands.deleteIfEmpty(r, key, list.isEmpty());
        r.modified(key);
        return popped;
    }

    private static void listPop(Request r, boolean left) {
        long deadline = Blocking.deadline(r.arg(r.argc() - 1));
        List<byte[]> keys = r.args().subList(1, r.argc() - 1);
        for (byte[] key : keys) {
            PDeque<byte[]> list = nonEmptyList(r, key);
            if (list != null) {
                servePop(r, list, key, left);
                return;
            }
        }
        blockOr(r, keys, deadline, false, (request, key) -> {
            if (!readyList(request, key)) {
                return false;
            }
            servePop(request, list(request, key), key, left);
            return true;
        });
    }

    private static void servePop(Request r, PDeque<byte[]> list, byte[] key, boolean left) {
        byte[] element = popFrom(r, list, key, left, 1).getFirst();
        r.reply().array(2).bulk(key).bulk(element);
        r.propagateAs(List.of(bytes(left ? "LPOP" : "RPOP"), key));
    }

    private static boolean side(Request r, int i) {
        String where = r.keyword(i);
        if (!where.equals("LEFT") && !where.equals("RIGHT")) {
            throw CommandError.syntax();
        }
        return where.equals("LEFT");
    }

    private static void blmove(Request r) {
        boolean fromLeft = side(r, 3);
        boolean toLeft = side(r, 4);
        listMove(r, fromLeft, toLeft, 5);
    }

    private static void listMove(Request r, boolean fromLeft, boolean toLeft, int timeoutAt) {
        long deadline = Blocking.deadline(r.arg(timeoutAt));
        byte[] source = r.arg(1);
        if (nonEmptyList(r, source) != null) {
            serveMove(r, source, fromLeft, toLeft);
            return;
        }
        blockOr(r, List.of(source), deadline, true, (request, key) -> {
            if (!readyList(request, key)) {
                return false;
            }
            serveMove(request, key, fromLeft, toLeft);
            return true;
        });
    }

    private static void serveMove(Request r, byte[] source, boolean fromLeft, boolean toLeft) {
        byte[] destination = r.arg(2);
        PDeque<byte[]> from = list(r, source);
        list(r, destination); // WRONGTYPE before anything moves
        byte[] element = fromLeft ? from.pollFirst() : from.pollLast();
        if (from.isEmpty() && !java.util.Arrays.equals(source, destination)) {
            CollectionCommands.deleteIfEmpty(r, source, true);
        }
        @SuppressWarnings("unchecked")
        PDeque<byte[]> to = CollectionCommands.orCreate(r, destination, LIST, PDeque::new);
        if (toLeft) {
            to.addFirst(element);
        } else {
            to.addLast(element);
        }
        r.modified(source);
        r.modified(destination);
        r.reply().bulk(element);
        r.propagateAs(List.of(bytes("LMOVE"), source, destination, bytes(fromLeft ? "LEFT" : "RIGHT"),
                bytes(toLeft ? "LEFT" : "RIGHT")));
    }

    /** The shared {@code timeout numkeys key... WHERE [COUNT n]} syntax of BLMPOP and BZMPOP. */
    private record MultiPop(long deadline, List<byte[]> keys, boolean first, long count) {

        private static long positive(byte[] arg, String error) {
            java.util.OptionalLong n = Numbers.parseLong(arg);
            if (n.isEmpty() || n.getAsLong() <= 0) {
                throw new CommandError(error);
            }
            return n.getAsLong();
        }

        static MultiPop parse(Request r, String firstWord, String lastWord) {
            long numkeys = positive(r.arg(2), "ERR numkeys should be greater than 0");
            long whereAt = 3 + numkeys;
            if (whereAt >= r.argc()) {
                throw CommandError.syntax();
            }
            String where = r.keyword((int) whereAt);
            if (!where.equals(firstWord) && !where.equals(lastWord)) {
                throw CommandError.syntax();
            }
            long count = -1;
            for (int j = (int) whereAt + 1; j < r.argc(); j++) {
                if (count == -1 && r.keyword(j).equals("COUNT") && j + 1 < r.argc()) {
                    j++;
                    count = positive(r.arg(j), "ERR count should be greater than 0");
                } else {
                    throw CommandError.syntax();
                }
            }
            long deadline = Blocking.deadline(r.arg(1));
            return new MultiPop(deadline, r.args().subList(3, (int) whereAt), where.equals(firstWord), count == -1 ? 1 : count);
        }
    }

    private static void blmpop(Request r) {
        MultiPop m = MultiPop.parse(r, "LEFT", "RIGHT");
        for (byte[] key : m.keys()) {
            PDeque<byte[]> list = nonEmptyList(r, key);
            if (list != null) {
                serveMultiPop(r, list, key, m);
                return;
            }
        }
        blockOr(r, m.keys(), m.deadline(), false, (request, key) -> {
            if (!readyList(request, key)) {
                return false;
            }
            serveMultiPop(request, list(request, key), key, m);
            return true;
        });
    }

    private static void serveMultiPop(Request r, PDeque<byte[]> list, byte[] key, MultiPop m) {
        List<byte[]> popped = popFrom(r, list, key, m.first(), m.count());
        RespWriter w = r.reply().array(2).bulk(key).array(popped.size());
        popped.forEach(w::bulk);
        r.propagateAs(List.of(bytes(m.first() ? "LPOP" : "RPOP"), key, bytes(Integer.toString(popped.size()))));
    }

    // ------------------------------------------------------------------ sorted sets

    private static ZSet zset(Request r, byte[] key) {
        ZSet z = CollectionCommands.existing(r, key, ZSet.class);
        return z == null || z.size() == 0 ? null : z;
    }

    private static boolean readyZSet(Request r, byte[] key) {
        return r.server().dataset().lookup(r.client().db(), key) instanceof ZSet z && z.size() > 0;
    }

    private static List<ZSet.Entry> popEntries(Request r, ZSet z, byte[] key, boolean max, long count) {
        long n = Math.min(count, z.size());
        List<ZSet.Entry> popped = new ArrayList<>(max ? z.byRank(z.size() - n, z.size()) : z.byRank(0, n));
        if (max) {
            java.util.Collections.reverse(popped);
        }
        popped.forEach(e -> z.remove(e.member()));
        CollectionCommands.deleteIfEmpty(r, key, z.size() == 0);
        r.modified(key);
        return popped;
    }

    private static void zsetPop(Request r, boolean max) {
        long deadline = Blocking.deadline(r.arg(r.argc() - 1));
        List<byte[]> keys = r.args().subList(1, r.argc() - 1);
        for (byte[] key : keys) {
            ZSet z = zset(r, key);
            if (z != null) {
                serveZPop(r, z, key, max);
                return;
            }
        }
        blockOr(r, keys, deadline, false, (request, key) -> {
            if (!readyZSet(request, key)) {
                return false;
            }
            serveZPop(request, zset(request, key), key, max);
            return true;
        });
    }

    private static void serveZPop(Request r, ZSet z, byte[] key, boolean max) {
        ZSet.Entry e = popEntries(r, z, key, max, 1).getFirst();
        r.reply().array(3).bulk(key).bulk(e.member()).dbl(e.score());
        r.propagateAs(List.of(bytes(max ? "ZPOPMAX" : "ZPOPMIN"), key));
    }

    private static void bzmpop(Request r) {
        MultiPop m = MultiPop.parse(r, "MIN", "MAX");
        for (byte[] key : m.keys()) {
            ZSet z = zset(r, key);
            if (z != null) {
                serveZMultiPop(r, z, key, m);
                return;
            }
        }
        blockOr(r, m.keys(), m.deadline(), false, (request, key) -> {
            if (!readyZSet(request, key)) {
                return false;
            }
            serveZMultiPop(request, zset(request, key), key, m);
            return true;
        });
    }

    private static void serveZMultiPop(Request r, ZSet z, byte[] key, MultiPop m) {
        boolean max = !m.first();
        List<ZSet.Entry> popped = popEntries(r, z, key, max, m.count());
        RespWriter w = r.reply().array(2).bulk(key).array(popped.size());
        for (ZSet.Entry e : popped) {
            w.array(2).bulk(e.member()).dbl(e.score());
        }
        r.propagateAs(List.of(bytes(max ? "ZPOPMAX" : "ZPOPMIN"), key, bytes(Integer.toString(popped.size()))));
    }

    // ------------------------------------------------------------------ blocking

    /**
     * Nothing to serve now: blocks the client on {@code keys}, or, where it may not block (inside
     * MULTI/EXEC), replies as Redis does then: a null bulk for the moves, a null array otherwise.
     */
    private static void blockOr(Request r, List<byte[]> keys, long deadline, boolean nullBulk, Blocking.Retry retry) {
        if (!r.mayBlock()) {
            if (nullBulk) {
                r.reply().nullBulk();
            } else {
                r.reply().nullArray();
            }
            return;
        }
        r.blocking().block(r, keys, deadline, retry);
    }
}
