package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.collections.PHashMap;
import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.data.Values;
import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;

/** Commands on keys as such: existence, type, renaming, listing, and expiry. */
public final class KeyCommands {

    private KeyCommands() {}

    private static CommandSpec spec(String name, int arity, EnumSet<CommandSpec.Flag> flags, int first, int last, int step,
                                    CommandSpec.Handler handler) {
        return new CommandSpec(name, arity, flags, first, last, step, handler);
    }

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> read = EnumSet.of(READONLY, FAST);
        EnumSet<CommandSpec.Flag> write = EnumSet.of(WRITE, FAST);
        table.add(spec("del", -2, EnumSet.of(WRITE), 1, -1, 1, KeyCommands::del))
                .add(spec("unlink", -2, EnumSet.of(WRITE, FAST), 1, -1, 1, KeyCommands::del))
                .add(spec("exists", -2, read, 1, -1, 1, KeyCommands::exists))
                .add(spec("touch", -2, read, 1, -1, 1, KeyCommands::exists))
                .add(spec("type", 2, read, 1, 1, 1, r -> r.reply().simple(Values.typeName(data(r).lookup(r.client().db(), r.arg(1))))))
                .add(spec("rename", 3, EnumSet.of(WRITE), 1, 2, 1, r -> rename(r, false)))
                .add(spec("renamenx", 3, write, 1, 2, 1, r -> rename(r, true)))
                .add(spec("keys", 2, EnumSet.of(READONLY), 0, 0, 0, KeyCommands::keys))
                .add(spec("scan", -2, EnumSet.of(READONLY), 0, 0, 0, KeyCommands::scan))
                .add(spec("randomkey", 1, EnumSet.of(READONLY), 0, 0, 0, KeyCommands::randomkey))
                .add(spec("dbsize", 1, read, 0, 0, 0, r -> r.reply().integer(liveKeys(r))))
                .add(spec("flushdb", -1, EnumSet.of(WRITE), 0, 0, 0, r -> flush(r, false)))
                .add(spec("flushall", -1, EnumSet.of(WRITE), 0, 0, 0, r -> flush(r, true)))
                .add(spec("expire", -3, write, 1, 1, 1, r -> expire(r, 1000, false)))
                .add(spec("pexpire", -3, write, 1, 1, 1, r -> expire(r, 1, false)))
                .add(spec("expireat", -3, write, 1, 1, 1, r -> expire(r, 1000, true)))
                .add(spec("pexpireat", -3, write, 1, 1, 1, r -> expire(r, 1, true)))
                .add(spec("ttl", 2, read, 1, 1, 1, r -> ttl(r, 1000, false)))
                .add(spec("pttl", 2, read, 1, 1, 1, r -> ttl(r, 1, false)))
                .add(spec("expiretime", 2, read, 1, 1, 1, r -> ttl(r, 1000, true)))
                .add(spec("pexpiretime", 2, read, 1, 1, 1, r -> ttl(r, 1, true)))
                .add(spec("persist", 2, write, 1, 1, 1, KeyCommands::persist));
    }

    private static Dataset data(Request r) {
        return r.server().dataset();
    }

    private static void del(Request r) {
        int deleted = 0;
        for (int i = 1; i < r.argc(); i++) {
            if (data(r).delete(r.client().db(), r.arg(i))) {
                r.modified(r.arg(i));
                deleted++;
            }
        }
        r.reply().integer(deleted);
    }

    private static void exists(Request r) {
        int found = 0;
        for (int i = 1; i < r.argc(); i++) {
            if (data(r).exists(r.client().db(), r.arg(i))) {
                found++;
            }
        }
        r.reply().integer(found);
    }

    private static void rename(Request r, boolean onlyIfAbsent) {
        Dataset d = data(r);
        int db = r.client().db();
        byte[] from = r.arg(1);
        byte[] to = r.arg(2);
        Object value = d.lookup(db, from);
        if (value == null) {
            throw new CommandError("ERR no such key");
        }
        if (java.util.Arrays.equals(from, to)) {
            if (onlyIfAbsent) {
                r.reply().integer(0);
            } else {
                r.reply().simple("OK");
            }
            return;
        }
        if (onlyIfAbsent && d.lookup(db, to) != null) {
            r.reply().integer(0);
            return;
        }
        d.delete(db, to);
        d.relocate(db, from, db, to);
        r.modified(from);
        r.modified(to);
        if (onlyIfAbsent) {
            r.reply().integer(1);
        } else {
            r.reply().simple("OK");
        }
    }

    /** {@return the live keys of the client's database that match {@code pattern}} */
    private static List<byte[]> matching(Request r, byte[] pattern, String type) {
        Dataset d = data(r);
        int db = r.client().db();
        List<byte[]> found = new ArrayList<>();
        long now = System.currentTimeMillis();
        PHashMap<byte[], Long> expires = d.expires(db);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        for (var entry : d.dict(db).entrySet()) {
            byte[] key = entry.getKey();
            if ((all || Glob.matches(pattern, key, false)) && (type == null || Values.typeName(entry.getValue()).equals(type))) {
                Long when = expires.isEmpty() ? null : expires.get(key);
                if (when == null || when > now) {
                    found.add(key);
                }
            }
        }
        return found;
    }

    private static void keys(Request r) {
        List<byte[]> keys = matching(r, r.arg(1), null);
        RespWriter w = r.reply().array(keys.size());
        keys.forEach(w::bulk);
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: the key space's bucket cursor
     * ({@code PHashMap.scanKeys}) with Redis's guarantee (see {@link Scan}); keys whose expiry passed
     * are left out (not deleted), and TYPE reads the value of the matching keys only.
     */
    private static void scan(Request r) {
        long cursor = Scan.cursor(r.arg(1));
        Scan.Options options = Scan.options(r, 2, true);
        Dataset d = data(r);
        int db = r.client().db();
        PHashMap<byte[], Object> dict = d.dict(db);
        PHashMap<byte[], Long> expires = d.expires(db);
        long now = System.currentTimeMillis();
        Scan.run(r, cursor, options, dict::scanKeys, key -> key, key -> {
            if (options.type() != null && !Values.typeName(dict.get(key)).equals(options.type())) {
                return false;
            }
            Long when = expires.isEmpty() ? null : expires.get(key);
            return when == null || when > now;
        }, 1, RespWriter::bulk);
    }

    private static void randomkey(Request r) {
        Dataset d = data(r);
        int db = r.client().db();
        int size = d.dict(db).size();
        for (int attempt = 0; attempt < 100 && size > 0; attempt++) {
            int skip = java.util.concurrent.ThreadLocalRandom.current().nextInt(size);
            Iterator<byte[]> it = d.dict(db).keySet().iterator();
            for (int i = 0; i < skip; i++) {
                it.next();
            }
            byte[] key = it.next();
            if (d.lookup(db, key) != null) {
                r.reply().bulk(key);
                return;
            }
            size = d.dict(db).size();
        }
        r.reply().nullBulk();
    }

    /** DBSIZE counts keys whose expiry has passed but that neither cycle has removed yet, as Redis does: O(1). */
    private static long liveKeys(Request r) {
        return data(r).dict(r.client().db()).longSize();
    }

    private static void flush(Request r, boolean all) {
        if (r.argc() > 2 || r.argc() == 2 && !r.keyword(1).equals("ASYNC") && !r.keyword(1).equals("SYNC")) {
            throw CommandError.syntax();
        }
        int from = all ? 0 : r.client().db();
        int to = all ? data(r).databases() : from + 1;
        for (int db = from; db < to; db++) {
            var dict = data(r).dict(db);
            r.modifiedWhere(db, dict::containsKey); // as Redis 7.0: watched keys the database holds
            data(r).flush(db);
        }
        r.reply().simple("OK");
    }

    private static void expire(Request r, long unitMillis, boolean absolute) {
        long amount = r.longArg(2);
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < r.argc(); i++) {
            switch (r.keyword(i)) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                default -> throw new CommandError("ERR Unsupported option " + r.text(i));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        long when;
        try {
            when = absolute ? Math.multiplyExact(amount, unitMillis)
                    : Math.addExact(System.currentTimeMillis(), Math.multiplyExact(amount, unitMillis));
        } catch (ArithmeticException e) {
            throw new CommandError("ERR invalid expire time in '" + r.text(0).toLowerCase(java.util.Locale.ROOT) + "' command");
        }
        Dataset d = data(r);
        int db = r.client().db();
        if (d.lookup(db, r.arg(1)) == null) {
            r.reply().integer(0);
            return;
        }
        long current = d.expiryOf(db, r.arg(1));
        if (nx && current >= 0 || xx && current < 0 || gt && (current < 0 || when <= current) || lt && current >= 0 && when >= current) {
            r.reply().integer(0);
            return;
        }
        d.expireAt(db, r.arg(1), when);
        r.modified(r.arg(1));
        r.reply().integer(1);
    }

    private static void ttl(Request r, long unitMillis, boolean absolute) {
        Dataset d = data(r);
        int db = r.client().db();
        if (d.lookup(db, r.arg(1)) == null) {
            r.reply().integer(-2);
            return;
        }
        long when = d.expiryOf(db, r.arg(1));
        if (when < 0) {
            r.reply().integer(-1);
        } else if (absolute) {
            r.reply().integer(when / unitMillis);
        } else {
            long left = Math.max(0, when - System.currentTimeMillis());
            r.reply().integer(unitMillis == 1 ? left : (left + 500) / 1000);
        }
    }

    private static void persist(Request r) {
        Dataset d = data(r);
        int db = r.client().db();
        if (d.lookup(db, r.arg(1)) == null || d.expiryOf(db, r.arg(1)) < 0) {
            r.reply().integer(0);
            return;
        }
        d.expires(db).remove(r.arg(1));
        r.modified(r.arg(1));
        r.reply().integer(1);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
