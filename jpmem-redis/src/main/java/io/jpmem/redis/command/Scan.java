package io.jpmem.redis.command;

import io.jpmem.redis.protocol.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What SCAN, HSCAN, SSCAN and ZSCAN share, as Redis 7.0's scanGenericCommand: the cursor (an
 * unsigned 64-bit number, parsed as strtoul does), the options (MATCH, COUNT, and TYPE for SCAN
 * only), the walk — steps of the collection's bucket cursor ({@code PHashMap.scan},
 * {@code PHashSet.scan}) until COUNT elements were collected or 10 x COUNT steps taken — then the
 * filters, and the reply {@code [next-cursor, [elements...]]}.
 *
 * <p>The guarantee is Redis's: a full iteration (from cursor 0 until the reply's cursor is 0)
 * returns every element present from its start to its end at least once, even if the collection
 * grows, shrinks or rehashes between calls; an element may be returned more than once. COUNT is a
 * hint: a step returns a whole bucket, so a reply may hold more or fewer elements.
 */
final class Scan {

    private Scan() {}

    /** One step of a cursor walk: passes some elements to {@code sink}, returns the next cursor (0 at the end). */
    @FunctionalInterface
    interface Stepper<T> {
        long step(long cursor, Consumer<T> sink);
    }

    /** The parsed options. @param pattern null: all; @param type null: any (SCAN only), lower-case */
    record Options(byte[] pattern, long count, String type) {

        boolean matches(byte[] name) {
            return pattern == null || Glob.matches(pattern, name, false);
        }
    }

    private static CommandError invalidCursor() {
        return new CommandError("ERR invalid cursor");
    }

    /**
     * {@return the cursor argument as Redis parses it (strtoul, base 10): an optional sign, digits,
     * nothing else; "-n" wraps around as in C; the empty string is 0}
     * @throws CommandError "ERR invalid cursor" otherwise, or beyond 2^64 - 1
     */
    static long cursor(byte[] arg) {
        int i = 0;
        boolean negative = false;
        if (arg.length > 0 && (arg[0] == '+' || arg[0] == '-')) {
            negative = arg[0] == '-';
            i = 1;
            if (arg.length == 1) {
                throw invalidCursor();
            }
        }
        long value = 0;
        for (; i < arg.length; i++) {
            int digit = arg[i] - '0';
            if (digit < 0 || digit > 9 || Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0) {
                throw invalidCursor();
            }
            long next = value * 10 + digit;
            if (Long.compareUnsigned(next, value * 10) < 0) {
                throw invalidCursor();
            }
            value = next;
        }
        return negative ? -value : value;
    }

    /** Parses {@code MATCH pattern}, {@code COUNT n} and (if {@code typeAllowed}) {@code TYPE name} from argument {@code from} on. */
    static Options options(Request r, int from, boolean typeAllowed) {
        byte[] pattern = null;
        long count = 10;
        String type = null;
        for (int i = from; i < r.argc(); i += 2) {
            if (i + 1 >= r.argc()) {
                throw CommandError.syntax();
            }
            switch (r.keyword(i)) {
                case "COUNT" -> {
                    count = r.longArg(i + 1);
                    if (count < 1) {
                        throw CommandError.syntax();
                    }
                }
                case "MATCH" -> {
                    byte[] p = r.arg(i + 1);
                    pattern = p.length == 1 && p[0] == '*' ? null : p;
                }
                case "TYPE" -> {
                    if (!typeAllowed) {
                        throw CommandError.syntax();
                    }
                    type = r.text(i + 1).toLowerCase(Locale.ROOT);
                }
                default -> throw CommandError.syntax();
            }
        }
        return new Options(pattern, count, type);
    }

    /**
     * Walks from {@code cursor}, collecting into {@code found} until it holds {@code count} elements,
     * 10 x {@code count} steps were taken, or the walk ended. @return the next cursor, 0 at the end
     */
    static <T> long collect(long cursor, long count, Stepper<T> stepper, List<T> found) {
        long steps = Math.max(count, count * 10); // count * 10 may overflow
        do {
            cursor = stepper.step(cursor, found::add);
        } while (cursor != 0 && --steps > 0 && found.size() < count);
        return cursor;
    }

    /**
     * The whole command for a collection: walks from {@code cursor} with {@code stepper}, keeps the
     * elements whose {@code name} matches MATCH and that {@code keep} accepts, and replies with
     * each as {@code slots} bulk strings written by {@code write}.
     */
    static <T> void run(Request r, long cursor, Options options, Stepper<T> stepper, Function<T, byte[]> name,
                        Predicate<T> keep, int slots, java.util.function.BiConsumer<RespWriter, T> write) {
        List<T> found = new ArrayList<>();
        long next = collect(cursor, options.count(), stepper, found);
        found.removeIf(element -> !options.matches(name.apply(element)) || !keep.test(element));
        RespWriter w = r.reply().array(2);
        w.bulk(Long.toUnsignedString(next));
        w.array(found.size() * slots);
        found.forEach(element -> write.accept(w, element));
    }
}
