package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;

import io.jpmem.redis.protocol.RespWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * LCS {@code key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]}: the longest common subsequence
 * of two strings (a missing key is an empty string), by the textbook dynamic program over a table of
 * (|a|+1)(|b|+1) lengths, which is refused, as in Redis, when its 4-byte cells would exceed
 * proto-max-bulk-len. The subsequence and its matched ranges come from walking the table back from
 * its end, preferring to drop a character of {@code b} on ties, so they are the ones Redis reports.
 */
final class LcsCommand {

    private LcsCommand() {}

    static void register(CommandTable table) {
        table.add(new CommandSpec("lcs", -3, EnumSet.of(READONLY), 1, 2, 1, LcsCommand::lcs));
    }

    /** A matched range in each string (inclusive) and its length. */
    private record Match(int aStart, int aEnd, int bStart, int bEnd) {
        int length() {
            return aEnd - aStart + 1;
        }
    }

    private static void lcs(Request r) {
        Object first = r.server().dataset().lookup(r.client().db(), r.arg(1));
        Object second = r.server().dataset().lookup(r.client().db(), r.arg(2));
        if (first != null && !(first instanceof byte[]) || second != null && !(second instanceof byte[])) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        byte[] a = first == null ? new byte[0] : (byte[]) first;
        byte[] b = second == null ? new byte[0] : (byte[]) second;
        boolean idx = false;
        boolean len = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int i = 3; i < r.argc(); i++) {
            switch (r.keyword(i)) {
                case "IDX" -> idx = true;
                case "LEN" -> len = true;
                case "WITHMATCHLEN" -> withMatchLen = true;
                case "MINMATCHLEN" -> {
                    if (i + 1 >= r.argc()) {
                        throw CommandError.syntax();
                    }
                    minMatchLen = Math.max(0, r.longArg(++i));
                }
                default -> throw CommandError.syntax();
            }
        }
        if (idx && len) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells * 4 > r.server().maxBulkLength() || cells > Integer.MAX_VALUE - 8) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int columns = b.length + 1;
        int[] table = new int[(int) cells];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                table[i * columns + j] = a[i - 1] == b[j - 1] ? table[(i - 1) * columns + j - 1] + 1
                        : Math.max(table[(i - 1) * columns + j], table[i * columns + j - 1]);
            }
        }
        int length = table[a.length * columns + b.length];
        if (len) {
            r.reply().integer(length);
            return;
        }
        byte[] subsequence = new byte[length];
        List<Match> matches = new ArrayList<>();
        int i = a.length;
        int j = b.length;
        int k = length;
        Match current = null;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                subsequence[--k] = a[i - 1];
                current = current == null ? new Match(i - 1, i - 1, j - 1, j - 1)
                        : new Match(i - 1, current.aEnd(), j - 1, current.bEnd()); // contiguous: a match follows a match
                emit = current.aStart() == 0 || current.bStart() == 0;
                i--;
                j--;
            } else {
                if (table[(i - 1) * columns + j] > table[i * columns + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                emit = current != null;
            }
            if (emit) {
                if (minMatchLen == 0 || current.length() >= minMatchLen) {
                    matches.add(current);
                }
                current = null;
            }
        }
        if (!idx) {
            r.reply().bulk(subsequence);
            return;
        }
        RespWriter w = r.reply().map(2).bulk("matches").array(matches.size());
        for (Match m : matches) {
            w.array(withMatchLen ? 3 : 2);
            w.array(2).integer(m.aStart()).integer(m.aEnd());
            w.array(2).integer(m.bStart()).integer(m.bEnd());
            if (withMatchLen) {
                w.integer(m.length());
            }
        }
        w.bulk("len").integer(length);
    }
}
