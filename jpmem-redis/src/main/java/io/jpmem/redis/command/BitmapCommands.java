package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.Dataset;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * The bitmap commands on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP (BITFIELD is
 * {@link BitFieldCommand}). A string is an immutable {@code byte[]} in the key space, so a change
 * builds the new value (grown with zero bytes as far as the highest bit written) and stores it in
 * place of the old, keeping the key's expiry, as Redis changes its string in place. The order of
 * the checks, and so which error a bad command gets, is Redis 7.0's: for BITCOUNT and BITPOS a
 * missing key answers before the range arguments are looked at.
 */
public final class BitmapCommands {

    private BitmapCommands() {}

    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";

    public static void register(CommandTable table) {
        table.add(new CommandSpec("setbit", 4, EnumSet.of(WRITE, DENY_OOM), 1, 1, 1, BitmapCommands::setbit))
                .add(new CommandSpec("getbit", 3, EnumSet.of(READONLY, FAST), 1, 1, 1, BitmapCommands::getbit))
                .add(new CommandSpec("bitcount", -2, EnumSet.of(READONLY), 1, 1, 1, BitmapCommands::bitcount))
                .add(new CommandSpec("bitpos", -3, EnumSet.of(READONLY), 1, 1, 1, BitmapCommands::bitpos))
                .add(new CommandSpec("bitop", -4, EnumSet.of(WRITE, DENY_OOM), 2, -1, 1, BitmapCommands::bitop));
        BitFieldCommand.register(table);
    }

    private static Dataset data(Request r) {
        return r.server().dataset();
    }

    /**
     * {@return a bit offset argument} In the {@code #n} form ({@code fieldWidth} > 0, BITFIELD) it
     * counts fields of that width. @throws CommandError if it is not a non-negative integer whose
     * byte lies within proto-max-bulk-len
     */
    static long bitOffset(Request r, int i, int fieldWidth) {
        byte[] arg = r.arg(i);
        boolean fields = fieldWidth > 0 && arg.length > 0 && arg[0] == '#';
        long offset = Numbers.parseLong(fields ? Arrays.copyOfRange(arg, 1, arg.length) : arg)
                .orElseThrow(() -> new CommandError(BAD_OFFSET));
        if (fields) {
            offset *= fieldWidth; // wraps as Redis's does; a wrapped result is caught below or is Redis's too
        }
        if (offset < 0 || (offset >>> 3) >= r.server().maxBulkLength()) {
            throw new CommandError(BAD_OFFSET);
        }
        return offset;
    }

    /** {@return the string at {@code key} grown with zero bytes to hold bit {@code highestBit}, or null if it needs no growing} */
    static byte[] grownTo(byte[] value, long highestBit) {
        int length = (int) ((highestBit >>> 3) + 1);
        if (value == null) {
            return new byte[length];
        }
        return value.length >= length ? null : Arrays.copyOf(value, length);
    }

    private static void setbit(Request r) {
        long offset = bitOffset(r, 2, 0);
        long bit = Numbers.parseLong(r.arg(3)).orElse(-1);
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR bit is not an integer or out of range");
        }
        byte[] old = StringCommands.string(r, r.arg(1));
        byte[] grown = grownTo(old, offset);
        int previous = old == null ? 0 : Bits.get(old, offset);
        if (grown != null || previous != bit) {
            byte[] value = grown != null ? grown : old.clone();
            Bits.set(value, offset, (int) bit);
            data(r).set(r.client().db(), r.arg(1), value, true);
            r.modified(r.arg(1));
        }
        r.reply().integer(previous);
    }

    private static void getbit(Request r) {
        long offset = bitOffset(r, 2, 0);
        byte[] value = StringCommands.string(r, r.arg(1));
        r.reply().integer(value == null ? 0 : Bits.get(value, offset));
    }

    /** A range of bits [from, to] of a string, from a command's start/end arguments; empty when from > to. */
    private record BitRange(long from, long to) {

        /** Redis's clamping of start/end (negative: from the end) to a string of {@code length} units. */
        static BitRange of(long start, long end, long length, boolean bits) {
            if (start < 0) {
                start = length + start;
            }
            if (end < 0) {
                end = length + end;
            }
            start = Math.max(start, 0);
            end = Math.max(end, 0);
            end = Math.min(end, length - 1);
            if (start > end) {
                return new BitRange(0, -1);
            }
            return bits ? new BitRange(start, end) : new BitRange(start * 8, end * 8 + 7);
        }

        boolean empty() {
            return from > to;
        }
    }

    /** {@return whether argument {@code i} says BIT (true) or BYTE (false)} @throws CommandError otherwise */
    private static boolean bitUnit(Request r, int i) {
        return switch (r.keyword(i)) {
            case "BIT" -> true;
            case "BYTE" -> false;
            default -> throw CommandError.syntax();
        };
    }

    private static void bitcount(Request r) {
        byte[] value = StringCommands.string(r, r.arg(1));
        if (value == null) {
            r.reply().integer(0);
            return;
        }
        BitRange range;
        if (r.argc() == 4 || r.argc() == 5) {
            long start = r.longArg(2);
            long end = r.longArg(3);
            if (start < 0 && end < 0 && start > end) {
                r.reply().integer(0);
                return;
            }
            boolean bits = r.argc() == 5 && bitUnit(r, 4);
            range = BitRange.of(start, end, bits ? value.length * 8L : value.length, bits);
        } else if (r.argc() == 2) {
            range = new BitRange(0, value.length * 8L - 1);
        } else {
            throw CommandError.syntax();
        }
        r.reply().integer(range.empty() ? 0 : countBits(value, range.from(), range.to()));
    }

    /** {@return the set bits in [fromBit, toBit]} */
    private static long countBits(byte[] value, long fromBit, long toBit) {
        int firstByte = (int) (fromBit >>> 3);
        int lastByte = (int) (toBit >>> 3);
        long count = Bits.popcount(value, firstByte, lastByte);
        for (long b = (long) firstByte * 8; b < fromBit; b++) {
            count -= Bits.get(value, b);
        }
        for (long b = toBit + 1; b < (long) lastByte * 8 + 8; b++) {
            count -= Bits.get(value, b);
        }
        return count;
    }

    private static void bitpos(Request r) {
        long bit = r.longArg(2);
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        byte[] value = StringCommands.string(r, r.arg(1));
        if (value == null) {
            r.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        BitRange range;
        boolean endGiven = false;
        if (r.argc() >= 4 && r.argc() <= 6) {
            long start = r.longArg(3);
            boolean bits = r.argc() == 6 && bitUnit(r, 5);
            long end;
            if (r.argc() >= 5) {
                end = r.longArg(4);
                endGiven = true;
            } else {
                end = bits ? value.length * 8L + 7 : value.length - 1L;
            }
            range = BitRange.of(start, end, bits ? value.length * 8L : value.length, bits);
        } else if (r.argc() == 3) {
            range = new BitRange(0, value.length * 8L - 1);
        } else {
            throw CommandError.syntax();
        }
        if (range.empty()) {
            r.reply().integer(-1);
            return;
        }
        long found = Bits.position(value, range.from(), range.to(), (int) bit);
        if (found < 0 && bit == 0 && !endGiven) {
            found = range.to() + 1; // without an end, the string goes on with zero bits
        }
        r.reply().integer(found);
    }

    private enum Op { AND, OR, XOR, NOT }

    private static void bitop(Request r) {
        Op op = switch (r.keyword(1)) {
            case "AND" -> Op.AND;
            case "OR" -> Op.OR;
            case "XOR" -> Op.XOR;
            case "NOT" -> Op.NOT;
            default -> throw CommandError.syntax();
        };
        if (op == Op.NOT && r.argc() != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        int sources = r.argc() - 3;
        byte[][] values = new byte[sources][];
        int maxLength = 0;
        for (int i = 0; i < sources; i++) {
            byte[] value = StringCommands.string(r, r.arg(3 + i));
            values[i] = value == null ? new byte[0] : value;
            maxLength = Math.max(maxLength, values[i].length);
        }
        byte[] destination = r.arg(2);
        if (maxLength == 0) {
            if (data(r).delete(r.client().db(), destination)) {
                r.modified(destination);
            }
            r.reply().integer(0);
            return;
        }
        byte[] result = new byte[maxLength];
        for (int at = 0; at < maxLength; at++) {
            int acc = byteAt(values[0], at);
            for (int i = 1; i < sources; i++) {
                int b = byteAt(values[i], at);
                acc = switch (op) {
                    case AND -> acc & b;
                    case OR -> acc | b;
                    case XOR -> acc ^ b;
                    case NOT -> acc;
                };
            }
            result[at] = (byte) (op == Op.NOT ? ~acc : acc);
        }
        data(r).set(r.client().db(), destination, result, false);
        r.modified(destination);
        r.reply().integer(maxLength);
    }

    private static int byteAt(byte[] value, int at) {
        return at < value.length ? value[at] & 0xFF : 0;
    }
}
