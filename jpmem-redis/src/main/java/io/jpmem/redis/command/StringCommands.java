package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.EnumSet;

/** The string commands. A string value is an immutable {@code byte[]} copy in the key space. */
public final class StringCommands {

    private StringCommands() {}

    private static CommandSpec spec(String name, int arity, EnumSet<CommandSpec.Flag> flags, int first, int last, int step,
                                    CommandSpec.Handler handler) {
        return new CommandSpec(name, arity, flags, first, last, step, handler);
    }

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> read = EnumSet.of(READONLY, FAST);
        EnumSet<CommandSpec.Flag> write = EnumSet.of(WRITE, DENY_OOM);
        table.add(spec("get", 2, read, 1, 1, 1, StringCommands::get))
                .add(spec("set", -3, write, 1, 1, 1, StringCommands::set))
                .add(spec("setnx", 3, write, 1, 1, 1, r -> r.reply().integer(setGeneric(r, r.arg(2), false, true, false, -1) ? 1 : 0)))
                .add(spec("setex", 4, write, 1, 1, 1, r -> setWithTtl(r, 1000)))
                .add(spec("psetex", 4, write, 1, 1, 1, r -> setWithTtl(r, 1)))
                .add(spec("mget", -2, read, 1, -1, 1, StringCommands::mget))
                .add(spec("mset", -3, write, 1, -1, 2, StringCommands::mset))
                .add(spec("msetnx", -3, write, 1, -1, 2, StringCommands::msetnx))
                .add(spec("getset", 3, write, 1, 1, 1, StringCommands::getset))
                .add(spec("getdel", 2, EnumSet.of(WRITE, FAST), 1, 1, 1, StringCommands::getdel))
                .add(spec("getex", -2, EnumSet.of(WRITE, FAST), 1, 1, 1, StringCommands::getex))
                .add(spec("append", 3, write, 1, 1, 1, StringCommands::append))
                .add(spec("strlen", 2, read, 1, 1, 1, r -> r.reply().integer(lengthOf(string(r, r.arg(1))))))
                .add(spec("incr", 2, write, 1, 1, 1, r -> incrBy(r, 1)))
                .add(spec("decr", 2, write, 1, 1, 1, r -> incrBy(r, -1)))
                .add(spec("incrby", 3, write, 1, 1, 1, r -> incrBy(r, r.longArg(2))))
                .add(spec("decrby", 3, write, 1, 1, 1, r -> {
                    long by = r.longArg(2);
                    if (by == Long.MIN_VALUE) {
                        throw new CommandError("ERR decrement would overflow");
                    }
                    incrBy(r, -by);
                }))
                .add(spec("incrbyfloat", 3, write, 1, 1, 1, StringCommands::incrByFloat))
                .add(spec("getrange", 4, EnumSet.of(READONLY), 1, 1, 1, StringCommands::getrange))
                .add(spec("substr", 4, EnumSet.of(READONLY), 1, 1, 1, StringCommands::getrange))
                .add(spec("setrange", 4, write, 1, 1, 1, StringCommands::setrange));
    }

    private static Dataset data(Request r) {
        return r.server().dataset();
    }

    /** {@return the string at {@code key}, or null} @throws CommandError WRONGTYPE */
    static byte[] string(Request r, byte[] key) {
        return data(r).lookup(r.client().db(), key, byte[].class);
    }

    private static int lengthOf(byte[] value) {
        return value == null ? 0 : value.length;
    }

    private static void get(Request r) {
        r.reply().bulk(string(r, r.arg(1)));
    }

    /**
     * SET's core. @param expireAtMillis -1: no expiry (the key's is dropped unless keepTtl)
     * @return whether the value was set (NX/XX may refuse)
     */
    private static boolean setGeneric(Request r, byte[] value, boolean keepTtl, boolean nx, boolean xx, long expireAtMillis) {
        Dataset d = data(r);
        int db = r.client().db();
        byte[] key = r.arg(1);
        if (nx || xx) {
            boolean exists = d.exists(db, key);
            if (nx && exists || xx && !exists) {
                return false;
            }
        }
        d.set(db, key, value, keepTtl);
        if (expireAtMillis >= 0) {
            d.expireAt(db, key, expireAtMillis);
        }
        r.modified(key);
        return true;
    }

    private static void set(Request r) {
        boolean nx = false;
        boolean xx = false;
        boolean keepTtl = false;
        boolean get = false;
        long expireAt = -1;
        String unit = null;
        for (int i = 3; i < r.argc(); i++) {
            String option = r.keyword(i);
            switch (option) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GET" -> get = true;
                case "KEEPTTL" -> keepTtl = true;
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (unit != null || i + 1 >= r.argc()) {
                        throw CommandError.syntax();
                    }
                    unit = option;
                    long amount = r.longArg(++i);
                    expireAt = expiryFrom(option, amount, "set");
                }
                default -> throw CommandError.syntax();
            }
        }
        if (nx && xx || keepTtl && unit != null) {
            throw CommandError.syntax();
        }
        byte[] old = get ? string(r, r.arg(1)) : null;
        boolean done = setGeneric(r, r.arg(2), keepTtl, nx, xx, expireAt);
        if (get) {
            r.reply().bulk(old);
        } else if (done) {
            r.reply().simple("OK");
        } else {
            r.reply().nullBulk();
        }
    }

    /** {@return the Unix ms an EX/PX/EXAT/PXAT option means} @throws CommandError for a non-positive time */
    static long expiryFrom(String option, long amount, String command) {
        if (amount <= 0) {
            throw new CommandError("ERR invalid expire time in '" + command + "' command");
        }
        long now = System.currentTimeMillis();
        try {
            return switch (option) {
                case "EX" -> Math.addExact(now, Math.multiplyExact(amount, 1000L));
                case "PX" -> Math.addExact(now, amount);
                case "EXAT" -> Math.multiplyExact(amount, 1000L);
                default -> amount;
            };
        } catch (ArithmeticException e) {
            throw new CommandError("ERR invalid expire time in '" + command + "' command");
        }
    }

    private static void setWithTtl(Request r, long unitMillis) {
        long amount = r.longArg(2);
        String name = unitMillis == 1000 ? "setex" : "psetex";
        if (amount <= 0) {
            throw new CommandError("ERR invalid expire time in '" + name + "' command");
        }
        long expireAt = expiryFrom(unitMillis == 1000 ? "EX" : "PX", amount, name);
        setGeneric(r, r.arg(3), false, false, false, expireAt);
        r.reply().simple("OK");
    }

    private static void mget(Request r) {
        RespWriter w = r.reply().array(r.argc() - 1);
        for (int i = 1; i < r.argc(); i++) {
            Object value = data(r).lookup(r.client().db(), r.arg(i));
            w.bulk(value instanceof byte[] bytes ? bytes : null);
        }
    }

    private static void mset(Request r) {
        if (r.argc() % 2 == 0) {
            throw CommandError.arity("mset");
        }
        for (int i = 1; i < r.argc(); i += 2) {
            data(r).set(r.client().db(), r.arg(i), r.arg(i + 1), false);
            r.modified(r.arg(i));
        }
        r.reply().simple("OK");
    }

    private static void msetnx(Request r) {
        if (r.argc() % 2 == 0) {
            throw CommandError.arity("msetnx");
        }
        for (int i = 1; i < r.argc(); i += 2) {
            if (data(r).lookup(r.client().db(), r.arg(i)) != null) {
                r.reply().integer(0);
                return;
            }
        }
        for (int i = 1; i < r.argc(); i += 2) {
            data(r).set(r.client().db(), r.arg(i), r.arg(i + 1), false);
            r.modified(r.arg(i));
        }
        r.reply().integer(1);
    }

    private static void getset(Request r) {
        byte[] old = string(r, r.arg(1));
        data(r).set(r.client().db(), r.arg(1), r.arg(2), false);
        r.modified(r.arg(1));
        r.reply().bulk(old);
    }

    private static void getdel(Request r) {
        byte[] old = string(r, r.arg(1));
        if (old != null) {
            data(r).delete(r.client().db(), r.arg(1));
            r.modified(r.arg(1));
        }
        r.reply().bulk(old);
    }

    /** GETEX in Redis's order: the options' syntax, then the key (nil, WRONGTYPE), then the expiry's number. */
    private static void getex(Request r) {
        String option = r.argc() > 2 ? r.keyword(2) : null;
        boolean persist = "PERSIST".equals(option) && r.argc() == 3;
        boolean expire = option != null && List.of("EX", "PX", "EXAT", "PXAT").contains(option) && r.argc() == 4;
        if (option != null && !persist && !expire) {
            throw CommandError.syntax();
        }
        byte[] value = string(r, r.arg(1));
        if (value == null) {
            r.reply().bulk((byte[]) null);
            return;
        }
        if (persist) {
            if (data(r).expires(r.client().db()).remove(r.arg(1)) != null) {
                r.modified(r.arg(1));
            }
        } else if (expire) {
            long expireAt = expiryFrom(option, r.longArg(3), "getex");
            data(r).expireAt(r.client().db(), r.arg(1), expireAt);
            r.modified(r.arg(1));
        }
        r.reply().bulk(value);
    }

    private static void checkSize(Request r, long size) {
        if (size > r.server().maxBulkLength()) {
            throw new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
    }

    private static void append(Request r) {
        byte[] old = string(r, r.arg(1));
        byte[] add = r.arg(2);
        byte[] value;
        if (old == null) {
            value = add;
        } else {
            checkSize(r, (long) old.length + add.length);
            value = Arrays.copyOf(old, old.length + add.length);
            System.arraycopy(add, 0, value, old.length, add.length);
        }
        data(r).set(r.client().db(), r.arg(1), value, true);
        r.modified(r.arg(1));
        r.reply().integer(value.length);
    }

    private static void incrBy(Request r, long by) {
        byte[] old = string(r, r.arg(1));
        long current = old == null ? 0 : Numbers.parseLong(old).orElseThrow(CommandError::notInteger);
        long next;
        try {
            next = Math.addExact(current, by);
        } catch (ArithmeticException e) {
            throw new CommandError("ERR increment or decrement would overflow");
        }
        data(r).set(r.client().db(), r.arg(1), Long.toString(next).getBytes(StandardCharsets.US_ASCII), true);
        r.modified(r.arg(1));
        r.reply().integer(next);
    }

    private static void incrByFloat(Request r) {
        byte[] old = string(r, r.arg(1));
        double current = old == null ? 0 : Numbers.parseDouble(old).orElseThrow(CommandError::notFloat);
        double by = r.doubleArg(2);
        double next = current + by;
        if (Double.isNaN(next) || Double.isInfinite(next)) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] text = formatLongDouble(next).getBytes(StandardCharsets.US_ASCII);
        data(r).set(r.client().db(), r.arg(1), text, true);
        r.modified(r.arg(1));
        r.reply().bulk(text);
    }

    /** Redis formats INCRBYFLOAT results with up to 17 significant digits, no exponent, no trailing zeros. */
    static String formatLongDouble(double value) {
        java.math.BigDecimal decimal = new java.math.BigDecimal(value).round(new java.math.MathContext(17)).stripTrailingZeros();
        String text = decimal.toPlainString();
        return text.equals("-0") ? "0" : text;
    }

    private static void getrange(Request r) {
        long start = r.longArg(2);
        long end = r.longArg(3);
        byte[] value = string(r, r.arg(1));
        if (value == null) {
            r.reply().bulk(new byte[0]);
            return;
        }
        long length = value.length;
        if (start < 0 && end < 0 && start > end) {
            r.reply().bulk(new byte[0]);
            return;
        }
        if (start < 0) {
            start = Math.max(0, length + start);
        }
        if (end < 0) {
            end = Math.max(0, length + end);
        }
        end = Math.min(end, length - 1);
        if (start > end || length == 0) {
            r.reply().bulk(new byte[0]);
            return;
        }
        r.reply().bulk(Arrays.copyOfRange(value, (int) start, (int) end + 1));
    }

    private static void setrange(Request r) {
        long offset = r.longArg(2);
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        byte[] add = r.arg(3);
        byte[] old = string(r, r.arg(1));
        if (add.length == 0) {
            r.reply().integer(lengthOf(old));
            return;
        }
        checkSize(r, offset > Long.MAX_VALUE - add.length ? Long.MAX_VALUE : offset + add.length); // no overflow
        int length = (int) Math.max(lengthOf(old), offset + add.length);
        byte[] value = old == null ? new byte[length] : Arrays.copyOf(old, length);
        System.arraycopy(add, 0, value, (int) offset, add.length);
        data(r).set(r.client().db(), r.arg(1), value, true);
        r.modified(r.arg(1));
        r.reply().integer(value.length);
    }
}
