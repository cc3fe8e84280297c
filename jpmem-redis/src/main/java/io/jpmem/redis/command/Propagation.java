package io.jpmem.redis.command;

import io.jpmem.collections.PHashMap;
import io.jpmem.redis.data.Dataset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The deterministic form of a write, as Redis 7.0 replicates it: a command whose effect depends on
 * the clock or on a float's formatting is passed on as the command that reproduces its effect
 * exactly, read from the dataset right after the command ran. A relative expiry becomes an
 * absolute one (EXPIRE, PEXPIRE, EXPIREAT and GETEX EX... as PEXPIREAT; SET ... EX, SETEX and
 * PSETEX as SET key value PXAT; RESTORE with a relative TTL as RESTORE ... ABSTTL), a key the
 * command deleted because its new time had already passed as DEL, INCRBYFLOAT as SET ... KEEPTTL,
 * HINCRBYFLOAT as HSET. Random choices (SPOP) say what they did themselves
 * ({@link Request#propagateAs}). Everything else is passed on as it came.
 */
final class Propagation {

    private Propagation() {}

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@return what replicas get for {@code args}, which just ran in {@code db}} */
    static List<byte[]> effects(CommandSpec spec, List<byte[]> args, int db, Dataset dataset) {
        String name = spec.name();
        switch (name) {
            case "expire", "pexpire", "expireat", "pexpireat" -> {
                return absoluteExpiry(args.get(1), db, dataset, null);
            }
            case "getex" -> {
                return absoluteExpiry(args.get(1), db, dataset, List.of(bytes("PERSIST"), args.get(1)));
            }
            case "setex", "psetex" -> {
                return setAt(args.get(1), args.get(3), db, dataset, args);
            }
            case "set" -> {
                for (int i = 3; i < args.size(); i++) {
                    String option = new String(args.get(i), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
                    if (option.equals("EX") || option.equals("PX") || option.equals("EXAT")) {
                        return setAt(args.get(1), args.get(2), db, dataset, args);
                    }
                }
                return args;
            }
            case "restore" -> {
                return restore(args, db, dataset);
            }
            case "incrbyfloat" -> {
                Object value = dataset.dict(db).get(args.get(1));
                return value instanceof byte[] text ? List.of(bytes("SET"), args.get(1), text, bytes("KEEPTTL")) : args;
            }
            case "hincrbyfloat" -> {
                if (dataset.dict(db).get(args.get(1)) instanceof PHashMap<?, ?> hash
                        && hash.get(args.get(2)) instanceof byte[] text) {
                    return List.of(bytes("HSET"), args.get(1), args.get(2), text);
                }
                return args;
            }
            default -> {
                return args;
            }
        }
    }

    /** The key's expiry as PEXPIREAT, DEL if the key is gone, {@code otherwise} (or the command) if it has none. */
    private static List<byte[]> absoluteExpiry(byte[] key, int db, Dataset dataset, List<byte[]> otherwise) {
        if (!dataset.dict(db).containsKey(key)) {
            return List.of(bytes("DEL"), key);
        }
        long at = dataset.expiryOf(db, key);
        if (at < 0) {
            return otherwise != null ? otherwise : List.of(bytes("PERSIST"), key);
        }
        return List.of(bytes("PEXPIREAT"), key, bytes(Long.toString(at)));
    }

    private static List<byte[]> setAt(byte[] key, byte[] value, int db, Dataset dataset, List<byte[]> args) {
        if (!dataset.dict(db).containsKey(key)) {
            return List.of(bytes("DEL"), key);
        }
        long at = dataset.expiryOf(db, key);
        if (at < 0) {
            return args;
        }
        return List.of(bytes("SET"), key, value, bytes("PXAT"), bytes(Long.toString(at)));
    }

    private static List<byte[]> restore(List<byte[]> args, int db, Dataset dataset) {
        boolean absolute = false;
        for (int i = 4; i < args.size(); i++) {
            absolute |= new String(args.get(i), StandardCharsets.US_ASCII).equalsIgnoreCase("ABSTTL");
        }
        long at = dataset.expiryOf(db, args.get(1));
        if (absolute || at < 0) {
            return args;
        }
        List<byte[]> rewritten = new ArrayList<>(args);
        rewritten.set(2, bytes(Long.toString(at)));
        rewritten.add(bytes("ABSTTL"));
        return rewritten;
    }
}
