package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.data.Values;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Commands between keys and databases: COPY (DB, REPLACE), MOVE, SWAPDB, and OBJECT
 * (ENCODING, REFCOUNT, IDLETIME, FREQ, HELP). Each write is one failure-atomic step of the
 * round's transaction: every check comes before the first change.
 */
public final class DatabaseCommands {

    private DatabaseCommands() {}

    private static final List<String> OBJECT_HELP = List.of(
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Prints this help.");

    public static void register(CommandTable table) {
        table.add(spec("copy", -3, EnumSet.of(WRITE, DENY_OOM), 1, 2, 1, DatabaseCommands::copy))
                .add(spec("move", 3, EnumSet.of(WRITE, FAST), 1, 1, 1, DatabaseCommands::move))
                .add(spec("swapdb", 3, EnumSet.of(WRITE, FAST), 0, 0, 0, DatabaseCommands::swapdb))
                .add(spec("object", -2, EnumSet.of(READONLY), 2, 2, 1, DatabaseCommands::object));
    }

    private static Dataset data(Request r) {
        return r.server().dataset();
    }

    /** {@return argument {@code i} as a 32-bit integer, with Redis's getIntFromObjectOrReply errors} */
    private static int intArg(Request r, int i) {
        long value = r.longArg(i);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new CommandError("ERR value is out of range, value must between -2147483648 and 2147483647");
        }
        return (int) value;
    }

    /** {@return {@code id} if it names a database} */
    private static int database(Request r, int id) {
        if (id < 0 || id >= r.server().databases()) {
            throw new CommandError("ERR DB index is out of range");
        }
        return id;
    }

    private static CommandError sameObject() {
        return new CommandError("ERR source and destination objects are the same");
    }

    /** COPY source destination [DB destination-db] [REPLACE]: a deep copy, with the source's expiry. */
    private static void copy(Request r) {
        int db = r.client().db();
        int target = db;
        boolean replace = false;
        for (int i = 3; i < r.argc(); i++) {
            String option = r.keyword(i);
            if (option.equals("REPLACE")) {
                replace = true;
            } else if (option.equals("DB") && i + 1 < r.argc()) {
                target = database(r, intArg(r, ++i));
            } else {
                throw CommandError.syntax();
            }
        }
        byte[] source = r.arg(1);
        byte[] destination = r.arg(2);
        if (target == db && java.util.Arrays.equals(source, destination)) {
            throw sameObject();
        }
        Dataset d = data(r);
        Object value = d.lookup(db, source);
        if (value == null) {
            r.reply().integer(0);
            return;
        }
        long expiry = d.expiryOf(db, source);
        if (d.lookup(target, destination) != null) {
            if (!replace) {
                r.reply().integer(0);
                return;
            }
            d.delete(target, destination);
        }
        d.set(target, destination, Values.copy(value), false);
        if (expiry >= 0) {
            d.expires(target).put(destination, expiry);
        }
        r.modified(target, destination); // the source is only read
        r.reply().integer(1);
    }

    /** MOVE key db: the value moves by reference, with its expiry, unless the key exists there. */
    private static void move(Request r) {
        int db = r.client().db();
        int target = database(r, intArg(r, 2));
        if (target == db) {
            throw sameObject();
        }
        Dataset d = data(r);
        byte[] key = r.arg(1);
        if (d.lookup(db, key) == null || d.lookup(target, key) != null) {
            r.reply().integer(0);
            return;
        }
        d.relocate(db, key, target, key);
        r.modified(db, key);
        r.modified(target, key);
        r.reply().integer(1);
    }

    /** SWAPDB index1 index2: clients on either database see the other's data from now on. */
    private static void swapdb(Request r) {
        int a;
        int b;
        try {
            a = intArg(r, 1);
        } catch (CommandError e) {
            throw new CommandError("ERR invalid first DB index");
        }
        try {
            b = intArg(r, 2);
        } catch (CommandError e) {
            throw new CommandError("ERR invalid second DB index");
        }
        if (a < 0 || a >= r.server().databases() || b < 0 || b >= r.server().databases()) {
            throw new CommandError("ERR DB index is out of range");
        }
        Dataset d = data(r);
        if (a != b) { // as Redis: a watched key of either database changed if either holds it
            java.util.function.Predicate<byte[]> held = k -> d.dict(a).containsKey(k) || d.dict(b).containsKey(k);
            r.modifiedWhere(a, held);
            r.modifiedWhere(b, held);
        }
        d.swap(a, b);
        r.reply().simple("OK");
    }

    /**
     * OBJECT: ENCODING names the Redis encoding closest to ours ({@link Values#encoding}); REFCOUNT
     * is 1 (values are never shared); IDLETIME is 0 (no access clock is kept: it would make every
     * read a persistent write); FREQ fails as Redis's does without an LFU maxmemory policy.
     */
    private static void object(Request r) {
        String sub = r.keyword(1);
        boolean help = sub.equals("HELP");
        if (!help && !List.of("ENCODING", "REFCOUNT", "IDLETIME", "FREQ").contains(sub)) {
            throw new CommandError("ERR unknown subcommand '" + r.text(1) + "'. Try OBJECT HELP.");
        }
        if (r.argc() != (help ? 2 : 3)) {
            throw CommandError.arity("object|" + sub.toLowerCase(Locale.ROOT));
        }
        if (help) {
            r.reply().array(OBJECT_HELP.size());
            OBJECT_HELP.forEach(r.reply()::simple);
            return;
        }
        Object value = data(r).lookup(r.client().db(), r.arg(2));
        if (value == null) {
            r.reply().nullBulk();
            return;
        }
        switch (sub) {
            case "ENCODING" -> r.reply().bulk(Values.encoding(value));
            case "REFCOUNT" -> r.reply().integer(1);
            case "IDLETIME" -> r.reply().integer(0);
            default -> throw new CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked."
                    + " Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        }
    }
}
