package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.protocol.RespWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * BITFIELD and BITFIELD_RO: a list of GET / SET / INCRBY operations on signed (i1..i64) or unsigned
 * (u1..u63) integers at any bit offset of a string, with OVERFLOW WRAP|SAT|FAIL applying to the
 * operations after it.
 *
 * <p>As in Redis 7.0, every operation is parsed and checked before anything is read or written; a
 * command with a SET or INCRBY then creates the key, or grows its string with zero bytes, as far as
 * the highest bit any of them writes — even when an OVERFLOW FAIL stops all of them — and runs the
 * operations in order on that one string, each seeing the ones before. Overflow is decided on the
 * sum (old value plus increment, or the value SET) as Redis decides it: out of the type's range it wraps to the
 * type's low bits (two's complement), saturates at the range's bound, or fails the operation (a
 * null reply, nothing written). An unsigned SET of a negative number counts as above the range, as
 * Redis reads it as a 64-bit unsigned number.
 */
final class BitFieldCommand {

    private BitFieldCommand() {}

    private static final String BAD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    static void register(CommandTable table) {
        table.add(new CommandSpec("bitfield", -2, EnumSet.of(WRITE, DENY_OOM), 1, 1, 1, r -> run(r, false)))
                .add(new CommandSpec("bitfield_ro", -2, EnumSet.of(READONLY, FAST), 1, 1, 1, r -> run(r, true)));
    }

    private enum Kind { GET, SET, INCRBY }

    private enum Overflow { WRAP, SAT, FAIL }

    /** One parsed operation. */
    private record Op(Kind kind, boolean signed, int width, long offset, long argument, Overflow overflow) {}

    private static void run(Request r, boolean readOnlyCommand) {
        List<Op> ops = parse(r);
        boolean writes = ops.stream().anyMatch(op -> op.kind() != Kind.GET);
        byte[] old = null;
        if (!writes) {
            old = StringCommands.string(r, r.arg(1));
        } else if (readOnlyCommand) {
            throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
        } else {
            old = StringCommands.string(r, r.arg(1));
        }
        byte[] value = old;
        boolean grown = false;
        if (writes) {
            long highest = 0;
            for (Op op : ops) {
                if (op.kind() != Kind.GET) {
                    highest = Math.max(highest, op.offset() + op.width() - 1);
                }
            }
            byte[] bigger = BitmapCommands.grownTo(old, highest);
            grown = bigger != null;
            value = grown ? bigger : old.clone();
        }
        RespWriter w = r.reply().array(ops.size());
        int changes = 0;
        for (Op op : ops) {
            if (op.kind() == Kind.GET) {
                byte[] source = value == null ? new byte[0] : value;
                w.integer(op.signed() ? Bits.getSignedField(source, op.offset(), op.width())
                        : Bits.getField(source, op.offset(), op.width()));
                continue;
            }
            long current = op.signed() ? Bits.getSignedField(value, op.offset(), op.width())
                    : Bits.getField(value, op.offset(), op.width());
            long base = op.kind() == Kind.INCRBY ? current : op.argument();
            long increment = op.kind() == Kind.INCRBY ? op.argument() : 0;
            Long next = op.signed() ? signedResult(base, increment, op.width(), op.overflow())
                    : unsignedResult(base, increment, op.width(), op.overflow());
            if (next == null) {
                w.nullBulk();
                continue;
            }
            w.integer(op.kind() == Kind.INCRBY ? next : current);
            Bits.setField(value, op.offset(), op.width(), next);
            if (grown || next != current) {
                changes++;
            }
        }
        if (writes && (grown || changes > 0)) {
            r.server().dataset().set(r.client().db(), r.arg(1), value, true);
        }
        if (changes > 0) {
            r.modified(r.arg(1));
        }
    }

    private static List<Op> parse(Request r) {
        List<Op> ops = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        for (int i = 2; i < r.argc(); i++) {
            int remaining = r.argc() - i - 1;
            String name = r.keyword(i);
            Kind kind;
            if (name.equals("GET") && remaining >= 2) {
                kind = Kind.GET;
            } else if (name.equals("SET") && remaining >= 3) {
                kind = Kind.SET;
            } else if (name.equals("INCRBY") && remaining >= 3) {
                kind = Kind.INCRBY;
            } else if (name.equals("OVERFLOW") && remaining >= 1) {
                overflow = switch (r.keyword(++i)) {
                    case "WRAP" -> Overflow.WRAP;
                    case "SAT" -> Overflow.SAT;
                    case "FAIL" -> Overflow.FAIL;
                    default -> throw new CommandError("ERR Invalid OVERFLOW type specified");
                };
                continue;
            } else {
                throw CommandError.syntax();
            }
            byte[] type = r.arg(i + 1);
            boolean signed = type.length > 0 && type[0] == 'i';
            if (!signed && (type.length == 0 || type[0] != 'u')) {
                throw new CommandError(BAD_TYPE);
            }
            long width = Numbers.parseLong(java.util.Arrays.copyOfRange(type, 1, type.length)).orElse(0);
            if (width < 1 || width > (signed ? 64 : 63)) {
                throw new CommandError(BAD_TYPE);
            }
            long offset = BitmapCommands.bitOffset(r, i + 2, (int) width);
            long argument = kind == Kind.GET ? 0 : r.longArg(i + 3);
            ops.add(new Op(kind, signed, (int) width, offset, argument, overflow));
            i += kind == Kind.GET ? 2 : 3;
        }
        return ops;
    }

    /**
     * {@return the signed {@code width}-bit result of value + increment under {@code overflow}, or
     * null if it fails} The range test is Redis's: it compares the increment with {@code max - value}
     * and {@code min - value} in wrapping 64-bit arithmetic, so a SET of a value below about
     * {@code -2^63 + max} counts as overflowing upwards (it saturates at the maximum).
     */
    private static Long signedResult(long value, long increment, int width, Overflow overflow) {
        long max = width == 64 ? Long.MAX_VALUE : (1L << (width - 1)) - 1;
        long min = -max - 1;
        long maxIncrement = max - value; // wrapping, as Redis's
        long minIncrement = min - value;
        boolean narrow = width != 64;
        int direction;
        if (value > max || narrow && increment > maxIncrement || value >= 0 && increment > 0 && increment > maxIncrement) {
            direction = 1;
        } else if (value < min || narrow && increment < minIncrement || value < 0 && increment < 0 && increment < minIncrement) {
            direction = -1;
        } else {
            return value + increment;
        }
        long sum = value + increment; // wrapping
        return switch (overflow) {
            case WRAP -> narrow ? (sum << (64 - width)) >> (64 - width) : sum;
            case SAT -> direction > 0 ? max : min;
            case FAIL -> null;
        };
    }

    /** {@return the unsigned {@code width}-bit result of value + increment under {@code overflow}, or null if it fails} */
    private static Long unsignedResult(long value, long increment, int width, Overflow overflow) {
        long max = (1L << width) - 1;
        int direction;
        if (Long.compareUnsigned(value, max) > 0 || increment > 0 && increment > max - value) {
            direction = 1;
        } else if (increment < 0 && increment < -value) {
            direction = -1;
        } else {
            return value + increment;
        }
        return switch (overflow) {
            case WRAP -> (value + increment) & max;
            case SAT -> direction > 0 ? max : 0L;
            case FAIL -> null;
        };
    }
}
