package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.data;
import static io.jpmem.redis.command.CollectionCommands.deleteIfEmpty;
import static io.jpmem.redis.command.CollectionCommands.existing;
import static io.jpmem.redis.command.CollectionCommands.orCreate;
import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.collections.PDeque;
import io.jpmem.redis.protocol.RespWriter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/** The list commands, on {@code PDeque<byte[]>}: O(1) at both ends and by index. */
public final class ListCommands {

    private ListCommands() {}

    @SuppressWarnings("rawtypes")
    private static final Class<PDeque> LIST = PDeque.class;

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> write = EnumSet.of(WRITE, DENY_OOM, FAST);
        EnumSet<CommandSpec.Flag> read = EnumSet.of(READONLY);
        table.add(spec("lpush", -3, write, 1, 1, 1, r -> push(r, true, false)))
                .add(spec("rpush", -3, write, 1, 1, 1, r -> push(r, false, false)))
                .add(spec("lpushx", -3, write, 1, 1, 1, r -> push(r, true, true)))
                .add(spec("rpushx", -3, write, 1, 1, 1, r -> push(r, false, true)))
                .add(spec("lpop", -2, EnumSet.of(WRITE, FAST), 1, 1, 1, r -> pop(r, true)))
                .add(spec("rpop", -2, EnumSet.of(WRITE, FAST), 1, 1, 1, r -> pop(r, false)))
                .add(spec("llen", 2, EnumSet.of(READONLY, FAST), 1, 1, 1, r -> {
                    PDeque<byte[]> list = list(r, r.arg(1));
                    r.reply().integer(list == null ? 0 : list.size());
                }))
                .add(spec("lindex", 3, read, 1, 1, 1, ListCommands::lindex))
                .add(spec("lset", 4, EnumSet.of(WRITE, DENY_OOM), 1, 1, 1, ListCommands::lset))
                .add(spec("lrange", 4, read, 1, 1, 1, ListCommands::lrange))
                .add(spec("ltrim", 4, EnumSet.of(WRITE), 1, 1, 1, ListCommands::ltrim))
                .add(spec("lrem", 4, EnumSet.of(WRITE), 1, 1, 1, ListCommands::lrem))
                .add(spec("linsert", 5, EnumSet.of(WRITE, DENY_OOM), 1, 1, 1, ListCommands::linsert))
                .add(spec("rpoplpush", 3, EnumSet.of(WRITE, DENY_OOM), 1, 2, 1, r -> move(r, false, true)))
                .add(spec("lmove", 5, EnumSet.of(WRITE, DENY_OOM), 1, 2, 1, ListCommands::lmove));
    }

    @SuppressWarnings("unchecked")
    private static PDeque<byte[]> list(Request r, byte[] key) {
        return existing(r, key, LIST);
    }

    @SuppressWarnings("unchecked")
    private static PDeque<byte[]> listOrCreate(Request r, byte[] key) {
        return orCreate(r, key, LIST, PDeque::new);
    }

    private static void push(Request r, boolean left, boolean onlyIfExists) {
        PDeque<byte[]> list = onlyIfExists ? list(r, r.arg(1)) : listOrCreate(r, r.arg(1));
        if (list == null) {
            r.reply().integer(0);
            return;
        }
        for (int i = 2; i < r.argc(); i++) {
            if (left) {
                list.addFirst(r.arg(i));
            } else {
                list.addLast(r.arg(i));
            }
        }
        r.modified(r.arg(1));
        r.reply().integer(list.size());
    }

    private static void pop(Request r, boolean left) {
        if (r.argc() > 3) {
            throw CommandError.syntax();
        }
        long count = r.argc() == 3 ? CollectionCommands.positive(r, 2) : -1;
        PDeque<byte[]> list = list(r, r.arg(1));
        if (list == null) {
            if (count >= 0) {
                r.reply().nullArray();
            } else {
                r.reply().nullBulk();
            }
            return;
        }
        if (count != 0) {
            r.modified(r.arg(1));
        }
        if (count < 0) {
            r.reply().bulk(left ? list.pollFirst() : list.pollLast());
        } else {
            int n = (int) Math.min(count, list.size());
            RespWriter w = r.reply().array(n);
            for (int i = 0; i < n; i++) {
                w.bulk(left ? list.pollFirst() : list.pollLast());
            }
        }
        deleteIfEmpty(r, r.arg(1), list.isEmpty());
    }

    /** {@return a Redis index (negative: from the end) as a position, or -1 if out of range} */
    private static long position(long index, long size) {
        long p = index < 0 ? size + index : index;
        return p < 0 || p >= size ? -1 : p;
    }

    private static void lindex(Request r) {
        long index = r.longArg(2);
        PDeque<byte[]> list = list(r, r.arg(1));
        long p = list == null ? -1 : position(index, list.size());
        r.reply().bulk(p < 0 ? null : list.get(p));
    }

    private static void lset(Request r) {
        long index = r.longArg(2);
        PDeque<byte[]> list = list(r, r.arg(1));
        if (list == null) {
            throw new CommandError("ERR no such key");
        }
        long p = position(index, list.size());
        if (p < 0) {
            throw new CommandError("ERR index out of range");
        }
        list.set(p, r.arg(3));
        r.modified(r.arg(1));
        r.reply().simple("OK");
    }

    private static void lrange(Request r) {
        long start = r.longArg(2);
        long stop = r.longArg(3);
        PDeque<byte[]> list = list(r, r.arg(1));
        if (list == null) {
            r.reply().array(0);
            return;
        }
        long[] span = CollectionCommands.indexRange(start, stop, list.size());
        List<byte[]> elements = list.range(span[0], span[1]);
        RespWriter w = r.reply().array(elements.size());
        elements.forEach(w::bulk);
    }

    private static void ltrim(Request r) {
        long start = r.longArg(2);
        long stop = r.longArg(3);
        PDeque<byte[]> list = list(r, r.arg(1));
        if (list != null) {
            long[] span = CollectionCommands.indexRange(start, stop, list.size());
            if (span[0] >= span[1]) {
                data(r).delete(r.client().db(), r.arg(1));
            } else {
                list.trim(span[0], span[1]);
            }
            r.modified(r.arg(1)); // even if nothing was trimmed, as Redis
        }
        r.reply().simple("OK");
    }

    private static void lrem(Request r) {
        long count = r.longArg(2);
        byte[] element = r.arg(3);
        PDeque<byte[]> list = list(r, r.arg(1));
        if (list == null) {
            r.reply().integer(0);
            return;
        }
        long removed = 0;
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        if (count >= 0) {
            for (long i = 0; i < list.size() && removed < limit; ) {
                if (Arrays.equals(list.get(i), element)) {
                    list.removeAt(i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (long i = list.size() - 1; i >= 0 && removed < limit; i--) {
                if (Arrays.equals(list.get(i), element)) {
                    list.removeAt(i);
                    removed++;
                }
            }
        }
        deleteIfEmpty(r, r.arg(1), list.isEmpty());
        if (removed > 0) {
            r.modified(r.arg(1));
        }
        r.reply().integer(removed);
    }

    private static void linsert(Request r) {
        String where = r.keyword(2);
        if (!where.equals("BEFORE") && !where.equals("AFTER")) {
            throw CommandError.syntax();
        }
        PDeque<byte[]> list = list(r, r.arg(1));
        if (list == null) {
            r.reply().integer(0);
            return;
        }
        for (long i = 0; i < list.size(); i++) {
            if (Arrays.equals(list.get(i), r.arg(3))) {
                list.insert(where.equals("BEFORE") ? i : i + 1, r.arg(4));
                r.modified(r.arg(1));
                r.reply().integer(list.size());
                return;
            }
        }
        r.reply().integer(-1);
    }

    private static void lmove(Request r) {
        String from = r.keyword(3);
        String to = r.keyword(4);
        if (!(from.equals("LEFT") || from.equals("RIGHT")) || !(to.equals("LEFT") || to.equals("RIGHT"))) {
            throw CommandError.syntax();
        }
        move(r, from.equals("LEFT"), to.equals("LEFT"));
    }

    private static void move(Request r, boolean fromLeft, boolean toLeft) {
        PDeque<byte[]> source = list(r, r.arg(1));
        if (source == null) {
            r.reply().nullBulk();
            return;
        }
        list(r, r.arg(2)); // WRONGTYPE before anything moves
        byte[] element = fromLeft ? source.pollFirst() : source.pollLast();
        boolean emptied = source.isEmpty();
        if (emptied && !Arrays.equals(r.arg(1), r.arg(2))) {
            deleteIfEmpty(r, r.arg(1), true);
        }
        PDeque<byte[]> target = listOrCreate(r, r.arg(2));
        if (toLeft) {
            target.addFirst(element);
        } else {
            target.addLast(element);
        }
        r.modified(r.arg(1));
        r.modified(r.arg(2));
        r.reply().bulk(element);
    }
}
