package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.rdb.DumpPayload;
import io.jpmem.redis.rdb.LiveValues;
import io.jpmem.redis.rdb.RdbException;
import io.jpmem.redis.rdb.RdbValue;
import java.util.EnumSet;

/**
 * DUMP and RESTORE with Redis's payload (an RDB value, the RDB version, a CRC-64), so values move
 * between jpmem-redis and redis-server both ways. RESTORE checks everything — options, the key,
 * the TTL, the payload's version and checksum, its value — before its first change, in Redis's
 * order (so the same bad request gets the same error). IDLETIME and FREQ are checked and accepted
 * but have no effect: no LRU or LFU clock is kept (see OBJECT).
 */
public final class DumpCommands {

    private DumpCommands() {}

    public static void register(CommandTable table) {
        table.add(spec("dump", 2, EnumSet.of(READONLY), 1, 1, 1, DumpCommands::dump))
                .add(spec("restore", -4, EnumSet.of(WRITE, DENY_OOM), 1, 1, 1, DumpCommands::restore));
    }

    /** DUMP key: the payload, or nil. */
    private static void dump(Request r) {
        Object value = r.server().dataset().lookup(r.client().db(), r.arg(1));
        if (value == null) {
            r.reply().nullBulk();
            return;
        }
        if (value instanceof io.jpmem.redis.data.Stream) {
            throw new CommandError("ERR " + LiveValues.STREAMS_UNSUPPORTED);
        }
        r.reply().bulk(DumpPayload.of(w -> LiveValues.write(w, null, value)));
    }

    /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
    private static void restore(Request r) {
        boolean replace = false;
        boolean absTtl = false;
        boolean idle = false;
        boolean freq = false;
        for (int j = 4; j < r.argc(); j++) {
            boolean more = j + 1 < r.argc();
            String option = r.keyword(j);
            if (option.equals("REPLACE")) {
                replace = true;
            } else if (option.equals("ABSTTL")) {
                absTtl = true;
            } else if (option.equals("IDLETIME") && more && !freq) {
                if (r.longArg(++j) < 0) {
                    throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
                }
                idle = true;
            } else if (option.equals("FREQ") && more && !idle) {
                long f = r.longArg(++j);
                if (f < 0 || f > 255) {
                    throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
                freq = true;
            } else {
                throw CommandError.syntax();
            }
        }
        int db = r.client().db();
        byte[] key = r.arg(1);
        Dataset d = r.server().dataset();
        if (!replace && d.lookup(db, key) != null) {
            throw new CommandError("BUSYKEY Target key name already exists.");
        }
        long ttl = r.longArg(2);
        if (ttl < 0) {
            throw new CommandError("ERR Invalid TTL value, must be >= 0");
        }
        byte[] payload = r.arg(3);
        if (!DumpPayload.verify(payload)) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        }
        RdbValue value;
        try {
            value = DumpPayload.value(payload);
            LiveValues.check(value);
        } catch (RdbException e) {
            throw new CommandError("ERR Bad data format");
        }
        if (LiveValues.isEmptyCollection(value)) {
            throw new CommandError("ERR Bad data format");
        }
        boolean deleted = replace && d.delete(db, key);
        long now = System.currentTimeMillis();
        if (ttl != 0 && !absTtl) {
            ttl += now;
        }
        if (ttl != 0 && ttl <= now) { // already expired: nothing is created (what REPLACE deleted stays deleted)
            if (deleted) {
                r.modified(key);
            }
            r.reply().simple("OK");
            return;
        }
        d.set(db, key, LiveValues.create(value), false);
        if (ttl != 0) {
            d.expires(db).put(key, ttl);
        }
        r.modified(key);
        r.reply().simple("OK");
    }
}
