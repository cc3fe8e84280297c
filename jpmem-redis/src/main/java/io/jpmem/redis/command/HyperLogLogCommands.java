package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.Dataset;
import java.util.EnumSet;

/**
 * PFADD, PFCOUNT and PFMERGE on HyperLogLog strings ({@link HyperLogLog}), as Redis 7.0 runs them:
 * <ul>
 * <li>PFADD creates the key as an empty sparse HLL (which counts as a change, so even
 * {@code PFADD key} with no element answers 1 and marks the cache stale) and adds each element.</li>
 * <li>PFCOUNT of one key answers the cached cardinality, or computes it and stores it in the
 * string — a write, done in its own heap transaction (or the round's, if it has one), though the
 * command is read-only as in Redis; of several keys, the estimate of their union, caching nothing.</li>
 * <li>PFMERGE merges every key given, the destination included, into the destination (created if
 * missing; dense if any input is dense), and marks its cache stale.</li>
 * </ul>
 * A string that is not an HLL is {@code WRONGTYPE Key is not a valid HyperLogLog string value.};
 * one whose sparse opcodes do not cover the 16,384 registers is {@code INVALIDOBJ Corrupted HLL
 * object detected}. Unlike Redis, which changes the string in place, a command that fails that way
 * changes nothing.
 */
public final class HyperLogLogCommands {

    private HyperLogLogCommands() {}

    public static void register(CommandTable table) {
        table.add(new CommandSpec("pfadd", -2, EnumSet.of(WRITE, DENY_OOM, FAST), 1, 1, 1, HyperLogLogCommands::pfadd))
                .add(new CommandSpec("pfcount", -2, EnumSet.of(READONLY), 1, -1, 1, HyperLogLogCommands::pfcount))
                .add(new CommandSpec("pfmerge", -2, EnumSet.of(WRITE, DENY_OOM), 1, -1, 1, HyperLogLogCommands::pfmerge));
    }

    private static Dataset data(Request r) {
        return r.server().dataset();
    }

    /** {@return the HLL string at {@code key}, or null} @throws CommandError if it is another type or not an HLL */
    private static byte[] hll(Request r, byte[] key) {
        byte[] value = StringCommands.string(r, key);
        if (value != null && !HyperLogLog.isValid(value)) {
            throw new CommandError("WRONGTYPE Key is not a valid HyperLogLog string value.");
        }
        return value;
    }

    private static void pfadd(Request r) {
        byte[] key = r.arg(1);
        byte[] old = hll(r, key);
        boolean updated = old == null;
        HyperLogLog.Sparse hll = new HyperLogLog.Sparse(old == null ? HyperLogLog.create() : old);
        for (int i = 2; i < r.argc(); i++) {
            long at = HyperLogLog.registerAndValue(r.arg(i));
            updated |= hll.set((int) at, (int) (at >>> 32));
        }
        if (updated) {
            byte[] value = hll.bytes();
            HyperLogLog.invalidateCache(value);
            data(r).set(r.client().db(), key, value, true);
            r.modified(key);
        }
        r.reply().integer(updated ? 1 : 0);
    }

    private static void pfcount(Request r) {
        if (r.argc() > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int i = 1; i < r.argc(); i++) {
                byte[] value = hll(r, r.arg(i));
                if (value != null && !HyperLogLog.mergeInto(max, value)) {
                    throw HyperLogLog.corrupted();
                }
            }
            r.reply().integer(HyperLogLog.estimate(HyperLogLog.histogramOfRegisters(max)));
            return;
        }
        byte[] key = r.arg(1);
        byte[] value = hll(r, key);
        if (value == null) {
            r.reply().integer(0);
            return;
        }
        long cached = HyperLogLog.cachedCount(value);
        if (cached >= 0) {
            r.reply().integer(cached);
            return;
        }
        int[] histogram = HyperLogLog.histogram(value);
        if (histogram == null) {
            throw HyperLogLog.corrupted();
        }
        long card = HyperLogLog.estimate(histogram);
        byte[] updated = value.clone();
        HyperLogLog.setCachedCount(updated, card);
        int db = r.client().db();
        data(r).heap().transaction(tx -> data(r).set(db, key, updated, true));
        r.modified(key);
        r.reply().integer(card);
    }

    private static void pfmerge(Request r) {
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean dense = false;
        for (int i = 1; i < r.argc(); i++) {
            byte[] value = hll(r, r.arg(i));
            if (value == null) {
                continue;
            }
            dense |= value[4] == HyperLogLog.DENSE;
            if (!HyperLogLog.mergeInto(max, value)) {
                throw HyperLogLog.corrupted();
            }
        }
        byte[] key = r.arg(1);
        byte[] target = StringCommands.string(r, key); // checked above
        if (target == null) {
            target = HyperLogLog.create();
        }
        if (dense && target[4] != HyperLogLog.DENSE) {
            target = HyperLogLog.toDense(target);
            if (target == null) {
                throw HyperLogLog.corrupted();
            }
        }
        HyperLogLog.Sparse merged = new HyperLogLog.Sparse(target);
        for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
            if (max[i] != 0) {
                merged.set(i, max[i]);
            }
        }
        byte[] value = merged.bytes();
        HyperLogLog.invalidateCache(value);
        data(r).set(r.client().db(), key, value, true);
        r.modified(key);
        r.reply().simple("OK");
    }
}
