package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.deleteIfEmpty;
import static io.jpmem.redis.command.CollectionCommands.existing;
import static io.jpmem.redis.command.CollectionCommands.orCreate;
import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.collections.PHashMap;
import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;

/** The hash commands, on {@code PHashMap<byte[], byte[]>}. */
public final class HashCommands {

    private HashCommands() {}

    @SuppressWarnings("rawtypes")
    private static final Class<PHashMap> HASH = PHashMap.class;

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> write = EnumSet.of(WRITE, DENY_OOM, FAST);
        EnumSet<CommandSpec.Flag> read = EnumSet.of(READONLY, FAST);
        table.add(spec("hset", -4, write, 1, 1, 1, r -> hset(r, false)))
                .add(spec("hmset", -4, write, 1, 1, 1, r -> hset(r, true)))
                .add(spec("hsetnx", 4, write, 1, 1, 1, HashCommands::hsetnx))
                .add(spec("hget", 3, read, 1, 1, 1, r -> {
                    PHashMap<byte[], byte[]> h = hash(r);
                    r.reply().bulk(h == null ? null : h.get(r.arg(2)));
                }))
                .add(spec("hmget", -3, read, 1, 1, 1, HashCommands::hmget))
                .add(spec("hdel", -3, EnumSet.of(WRITE, FAST), 1, 1, 1, HashCommands::hdel))
                .add(spec("hlen", 2, read, 1, 1, 1, r -> {
                    PHashMap<byte[], byte[]> h = hash(r);
                    r.reply().integer(h == null ? 0 : h.longSize());
                }))
                .add(spec("hstrlen", 3, read, 1, 1, 1, r -> {
                    PHashMap<byte[], byte[]> h = hash(r);
                    byte[] v = h == null ? null : h.get(r.arg(2));
                    r.reply().integer(v == null ? 0 : v.length);
                }))
                .add(spec("hexists", 3, read, 1, 1, 1, r -> {
                    PHashMap<byte[], byte[]> h = hash(r);
                    r.reply().integer(h != null && h.containsKey(r.arg(2)) ? 1 : 0);
                }))
                .add(spec("hkeys", 2, EnumSet.of(READONLY), 1, 1, 1, r -> all(r, true, false)))
                .add(spec("hvals", 2, EnumSet.of(READONLY), 1, 1, 1, r -> all(r, false, true)))
                .add(spec("hgetall", 2, EnumSet.of(READONLY), 1, 1, 1, r -> all(r, true, true)))
                .add(spec("hincrby", 4, write, 1, 1, 1, HashCommands::hincrby))
                .add(spec("hincrbyfloat", 4, write, 1, 1, 1, HashCommands::hincrbyfloat))
                .add(spec("hscan", -3, EnumSet.of(READONLY), 1, 1, 1, HashCommands::hscan));
    }

    @SuppressWarnings("unchecked")
    private static PHashMap<byte[], byte[]> hash(Request r) {
        return existing(r, r.arg(1), HASH);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void hscan(Request r) {
        CollectionCommands.<PHashMap, Map.Entry<byte[], byte[]>>scan(r, HASH,
                h -> (cursor, sink) -> ((PHashMap<byte[], byte[]>) h).scan(cursor, (k, v) -> sink.accept(Map.entry(k, v))),
                Map.Entry::getKey, 2, (w, e) -> w.bulk(e.getKey()).bulk(e.getValue()));
    }

    @SuppressWarnings("unchecked")
    private static PHashMap<byte[], byte[]> hashOrCreate(Request r) {
        return orCreate(r, r.arg(1), HASH, PHashMap::new);
    }

    private static void hset(Request r, boolean legacy) {
        if (r.argc() % 2 != 0) {
            throw CommandError.arity(legacy ? "hmset" : "hset");
        }
        PHashMap<byte[], byte[]> h = hashOrCreate(r);
        int added = 0;
        for (int i = 2; i < r.argc(); i += 2) {
            if (h.set(r.arg(i), r.arg(i + 1))) {
                added++;
            }
        }
        r.modified(r.arg(1));
        if (legacy) {
            r.reply().simple("OK");
        } else {
            r.reply().integer(added);
        }
    }

    private static void hsetnx(Request r) {
        PHashMap<byte[], byte[]> h = hashOrCreate(r);
        if (h.containsKey(r.arg(2))) {
            r.reply().integer(0);
        } else {
            h.set(r.arg(2), r.arg(3));
            r.modified(r.arg(1));
            r.reply().integer(1);
        }
    }

    private static void hmget(Request r) {
        PHashMap<byte[], byte[]> h = hash(r);
        RespWriter w = r.reply().array(r.argc() - 2);
        for (int i = 2; i < r.argc(); i++) {
            w.bulk(h == null ? null : h.get(r.arg(i)));
        }
    }

    private static void hdel(Request r) {
        PHashMap<byte[], byte[]> h = hash(r);
        int deleted = 0;
        if (h != null) {
            for (int i = 2; i < r.argc(); i++) {
                if (h.delete(r.arg(i))) {
                    deleted++;
                }
            }
            deleteIfEmpty(r, r.arg(1), h.isEmpty());
        }
        if (deleted > 0) {
            r.modified(r.arg(1));
        }
        r.reply().integer(deleted);
    }

    private static void all(Request r, boolean keys, boolean values) {
        PHashMap<byte[], byte[]> h = hash(r);
        if (h == null) {
            r.reply().array(0);
            return;
        }
        RespWriter w = keys && values ? r.reply().map(h.size()) : r.reply().array(h.size());
        for (Map.Entry<byte[], byte[]> e : h.entrySet()) {
            if (keys) {
                w.bulk(e.getKey());
            }
            if (values) {
                w.bulk(e.getValue());
            }
        }
    }

    private static void hincrby(Request r) {
        long by = r.longArg(3);
        PHashMap<byte[], byte[]> h = hashOrCreate(r);
        byte[] old = h.get(r.arg(2));
        long current = old == null ? 0 : Numbers.parseLong(old)
                .orElseThrow(() -> new CommandError("ERR hash value is not an integer"));
        long next;
        try {
            next = Math.addExact(current, by);
        } catch (ArithmeticException e) {
            throw new CommandError("ERR increment or decrement would overflow");
        }
        h.set(r.arg(2), Long.toString(next).getBytes(StandardCharsets.US_ASCII));
        r.modified(r.arg(1));
        r.reply().integer(next);
    }

    private static void hincrbyfloat(Request r) {
        double by = r.doubleArg(3);
        PHashMap<byte[], byte[]> h = hashOrCreate(r);
        byte[] old = h.get(r.arg(2));
        double current = old == null ? 0 : Numbers.parseDouble(old)
                .orElseThrow(() -> new CommandError("ERR hash value is not a float"));
        double next = current + by;
        if (Double.isNaN(next) || Double.isInfinite(next)) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] text = StringCommands.formatLongDouble(next).getBytes(StandardCharsets.US_ASCII);
        h.set(r.arg(2), text);
        r.modified(r.arg(1));
        r.reply().bulk(text);
    }
}
