package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;

import io.jpmem.collections.PDeque;
import io.jpmem.redis.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;

/**
 * LPOS {@code key element [RANK rank] [COUNT n] [MAXLEN len]}: the indexes of the elements equal to
 * {@code element}, from the head (or from the tail for a negative rank), skipping the first
 * {@code |rank|-1} matches, looking at no more than {@code len} elements (0: all). Without COUNT the
 * reply is one index or null; with it an array of up to {@code n} (0: all). The rank is taken as
 * Redis 7.0 takes it, in wrapping 64-bit arithmetic (a rank of -2^63 finds the first match from the tail).
 */
final class ListPositionCommand {

    private ListPositionCommand() {}

    static void register(CommandTable table) {
        table.add(new CommandSpec("lpos", -3, EnumSet.of(READONLY), 1, 1, 1, ListPositionCommand::lpos));
    }

    private static long nonNegative(Request r, int i, String message) {
        long value = Numbers.parseLong(r.arg(i)).orElse(-1);
        if (value < 0) {
            throw new CommandError("ERR " + message);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static void lpos(Request r) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int i = 3; i < r.argc(); i++) {
            String option = r.keyword(i);
            boolean more = i + 1 < r.argc();
            if (option.equals("RANK") && more) {
                rank = r.longArg(++i);
                if (rank == 0) {
                    throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                            + "or use negative to start from the end of the list");
                }
            } else if (option.equals("COUNT") && more) {
                count = nonNegative(r, ++i, "COUNT can't be negative");
            } else if (option.equals("MAXLEN") && more) {
                maxlen = nonNegative(r, ++i, "MAXLEN can't be negative");
            } else {
                throw CommandError.syntax();
            }
        }
        boolean fromTail = rank < 0;
        if (fromTail) {
            rank = -rank; // -2^63 stays negative: every match is then at or past the rank, as in Redis
        }
        PDeque<byte[]> list = CollectionCommands.existing(r, r.arg(1), PDeque.class);
        if (list == null) {
            if (count != -1) {
                r.reply().array(0);
            } else {
                r.reply().nullBulk();
            }
            return;
        }
        byte[] element = r.arg(2);
        long size = list.size();
        List<Long> found = new ArrayList<>();
        long matches = 0;
        long index = 0;
        for (Iterator<byte[]> it = fromTail ? list.descendingIterator() : list.iterator();
                it.hasNext() && (maxlen == 0 || index < maxlen); index++) {
            if (Arrays.equals(it.next(), element)) {
                matches++;
                if (matches >= rank) {
                    found.add(fromTail ? size - index - 1 : index);
                    if (count == -1 || count != 0 && matches - rank + 1 >= count) {
                        break;
                    }
                }
            }
        }
        if (count == -1) {
            if (found.isEmpty()) {
                r.reply().nullBulk();
            } else {
                r.reply().integer(found.getFirst());
            }
            return;
        }
        RespWriter w = r.reply().array(found.size());
        found.forEach(w::integer);
    }
}
