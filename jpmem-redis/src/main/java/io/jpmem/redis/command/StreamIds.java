package io.jpmem.redis.command;

import io.jpmem.redis.data.StreamId;

/**
 * Stream id arguments as Redis 7.0 reads them: {@code ms-seq} or {@code ms} (the sequence then
 * defaults to 0 for a start, to its maximum for an end); each part an unsigned 64-bit decimal as C's
 * {@code strtoull} reads it (leading blanks and a sign allowed, a negative number taken modulo 2^64,
 * but a plain negative integer refused); {@code -} and {@code +} for the smallest and largest id
 * where a range is meant; {@code ms-*} in XADD for "the next sequence number of this millisecond".
 */
final class StreamIds {

    private StreamIds() {}

    static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    /** A parsed id; {@code seqGiven} is false for XADD's {@code ms-*}. */
    record Parsed(StreamId id, boolean seqGiven) {}

    /** {@return the id {@code arg} spells, {@code -}/{@code +} allowed} @throws CommandError if it spells none */
    static StreamId range(byte[] arg, long missingSeq) {
        if (arg.length == 1 && arg[0] == '-') {
            return StreamId.MIN;
        }
        if (arg.length == 1 && arg[0] == '+') {
            return StreamId.MAX;
        }
        return strict(arg, missingSeq);
    }

    /** {@return the id {@code arg} spells, no {@code -}/{@code +}} @throws CommandError if it spells none */
    static StreamId strict(byte[] arg, long missingSeq) {
        Parsed p = parse(arg, missingSeq, false);
        return p.id();
    }

    /** {@return the id {@code arg} spells; {@code ms-*} allowed when {@code starSeq}} @throws CommandError if none */
    static Parsed parse(byte[] arg, long missingSeq, boolean starSeq) {
        if (arg.length > 127) {
            throw new CommandError(INVALID);
        }
        int dash = -1;
        for (int i = 0; i < arg.length; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        if (dash < 0) {
            return new Parsed(new StreamId(unsigned(arg, 0, arg.length), missingSeq), true);
        }
        long ms = unsigned(arg, 0, dash);
        if (starSeq && arg.length == dash + 2 && arg[dash + 1] == '*') {
            return new Parsed(new StreamId(ms, 0), false);
        }
        return new Parsed(new StreamId(ms, unsigned(arg, dash + 1, arg.length)), true);
    }

    /** {@return bytes [from, to) of {@code s} as Redis's {@code string2ull} reads them} @throws CommandError if not */
    static long unsigned(byte[] s, int from, int to) {
        byte[] part = java.util.Arrays.copyOfRange(s, from, to);
        java.util.OptionalLong strict = Numbers.parseLong(part);
        if (strict.isPresent()) {
            if (strict.getAsLong() < 0) {
                throw new CommandError(INVALID);
            }
            return strict.getAsLong();
        }
        int i = 0;
        while (i < part.length && (part[i] == ' ' || (part[i] >= '\t' && part[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < part.length && (part[i] == '+' || part[i] == '-')) {
            negative = part[i] == '-';
            i++;
        }
        if (i == part.length) {
            throw new CommandError(INVALID);
        }
        long value = 0;
        for (; i < part.length; i++) {
            int d = part[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandError(INVALID);
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0) {
                throw new CommandError(INVALID);
            }
            long next = value * 10 + d;
            if (Long.compareUnsigned(next, value * 10) < 0) {
                throw new CommandError(INVALID);
            }
            value = next;
        }
        return negative ? -value : value;
    }
}
