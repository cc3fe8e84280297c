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
     * SCAN: the cursor is the number of keys visited so far in the key space's iteration order,
     * which is stable while the key space does not change; keys added or removed between calls may
     * be missed or repeated (Redis's cursors guarantee more: see the notes in docs).
     */
    private static void scan(Request r) {
        long cursor = Numbers.parseLong(r.arg(1)).orElseThrow(() -> new CommandError("ERR invalid cursor"));
        if (cursor < 0) {
            throw new CommandError("ERR invalid cursor");
        }
        byte[] pattern = null;
        long count = 10;
        String type = null;
        for (int i = 2; i < r.argc(); i++) {
            String option = r.keyword(i);
            if (i + 1 >= r.argc()) {
                throw CommandError.syntax();
            }
            switch (option) {
                case "MATCH" -> pattern = r.arg(++i);
                case "COUNT" -> {
                    count = r.longArg(++i);
                    if (count < 1) {
                        throw CommandError.syntax();
                    }
                }
                case "TYPE" -> type = r.text(++i).toLowerCase(java.util.Locale.ROOT);
                default -> throw CommandError.syntax();
            }
        }
        Dataset d = data(r);
        int db = r.client().db();
        long now = System.currentTimeMillis();
        List<byte[]> found = new ArrayList<>();
        long position = 0;
        Iterator<java.util.Map.Entry<byte[], Object>> it = d.dict(db).entrySet().iterator();
        while (position < cursor && it.hasNext()) {
            it.next();
            position++;
        }
        long visited = 0;
        while (visited < count && it.hasNext()) {
            var entry = it.next();
            position++;
            visited++;
            byte[] key = entry.getKey();
            if (pattern != null && !Glob.matches(pattern, key, false)) {
                continue;
            }
            if (type != null && !Values.typeName(entry.getValue()).equals(type)) {
                continue;
            }
            Long when = d.expires(db).get(key);
            if (when == null || when > now) {
                found.add(key);
            }
        }
        long next = it.hasNext() ? position : 0;
        RespWriter w = r.reply().array(2);
        w.bulk(Long.toString(next));
        w.array(found.size());
        found.forEach(w::bulk);
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
