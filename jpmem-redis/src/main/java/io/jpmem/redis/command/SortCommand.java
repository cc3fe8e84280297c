package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.collections.PDeque;
import io.jpmem.collections.PHashMap;
import io.jpmem.collections.PHashSet;
import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.data.ZSet;
import io.jpmem.redis.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * SORT and SORT_RO {@code key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
 * [STORE destination]} on a list, set or sorted set, as Redis 7.0 does it:
 * <ul>
 * <li>Elements are sorted as numbers (C {@code strtod} syntax; a value that is not one fails the
 * command after sorting, with nothing stored), ties broken by comparing the elements' bytes; or with
 * ALPHA by their bytes (the C/UTF-8 collation Redis runs with compares bytes too).</li>
 * <li>{@code BY pattern} sorts by the string (or, for {@code key->field}, the hash field) named by
 * the pattern with its first {@code *} replaced by the element; a missing one sorts as 0, or first
 * with ALPHA. A BY pattern without {@code *} means no sorting: a list or sorted set keeps its order
 * (reversed by DESC), a set its iteration order — which is ours, not Redis's — except with STORE,
 * where Redis sorts the set with ALPHA so that the stored result is deterministic.</li>
 * <li>{@code GET #} is the element itself, {@code GET pattern} the value the pattern names (null, or
 * an empty string when stored, if missing or not a string/hash field).</li>
 * <li>LIMIT's offset and count are clamped as Redis clamps them; STORE replaces the destination
 * with a list of the result (dropping its expiry), or deletes it if the result is empty.</li>
 * </ul>
 * Equal sort keys under ALPHA with BY keep the element order of the source (a stable sort): Redis's
 * order of such ties is unspecified.
 */
final class SortCommand {

    private SortCommand() {}

    static void register(CommandTable table) {
        table.add(new CommandSpec("sort", -2, EnumSet.of(WRITE, DENY_OOM), 1, 1, 1, r -> sort(r, false)))
                .add(new CommandSpec("sort_ro", -2, EnumSet.of(READONLY), 1, 1, 1, r -> sort(r, true)));
    }

    /** One element being sorted, with its numeric or ALPHA sort key. */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] sortKey;

        Item(byte[] element) {
            this.element = element;
        }
    }

    @SuppressWarnings("unchecked")
    private static void sort(Request r, boolean readOnly) {
        boolean desc = false;
        boolean alpha = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] sortBy = null;
        boolean dontSort = false;
        byte[] store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int i = 2; i < r.argc(); i++) {
            int left = r.argc() - i - 1;
            String option = r.keyword(i);
            if (option.equals("ASC")) {
                desc = false;
            } else if (option.equals("DESC")) {
                desc = true;
            } else if (option.equals("ALPHA")) {
                alpha = true;
            } else if (option.equals("LIMIT") && left >= 2) {
                limitStart = r.longArg(i + 1);
                limitCount = r.longArg(i + 2);
                i += 2;
            } else if (!readOnly && option.equals("STORE") && left >= 1) {
                store = r.arg(++i);
            } else if (option.equals("BY") && left >= 1) {
                sortBy = r.arg(++i);
                if (indexOf(sortBy, (byte) '*', 0) < 0) {
                    dontSort = true; // and stays so, whatever BY comes later
                }
            } else if (option.equals("GET") && left >= 1) {
                gets.add(r.arg(++i));
            } else {
                throw CommandError.syntax();
            }
        }
        Dataset data = r.server().dataset();
        int db = r.client().db();
        Object value = data.lookup(db, r.arg(1));
        if (value != null && !(value instanceof PDeque<?> || value instanceof PHashSet<?> || value instanceof ZSet)) {
            throw CommandError.wrongType();
        }
        if (dontSort && value instanceof PHashSet<?> && store != null) {
            dontSort = false; // a stored set is sorted, so that the result is deterministic
            alpha = true;
            sortBy = null;
        }
        long length = switch (value) {
            case null -> 0;
            case PDeque<?> list -> list.size();
            case PHashSet<?> set -> set.size();
            case ZSet z -> z.size();
            default -> throw new IllegalStateException();
        };
        long start = limitStart < 0 ? 0 : limitStart;
        long end = limitCount < 0 ? length - 1 : start + limitCount - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) {
            end = length - 1;
        }
        if (end < start - 1) {
            end = start - 1; // a count that wrapped: nothing
        }
        List<Item> items = new ArrayList<>();
        if (dontSort && (value instanceof PDeque<?> || value instanceof ZSet)) {
            List<byte[]> ordered = orderedElements(value);
            for (long k = start; k <= end; k++) {
                items.add(new Item(ordered.get((int) (desc ? length - 1 - k : k))));
            }
            end -= start;
            start = 0;
        } else {
            for (byte[] element : allElements(value)) {
                items.add(new Item(element));
            }
        }
        boolean notNumbers = false;
        if (!dontSort) {
            for (Item item : items) {
                byte[] by = sortBy == null ? item.element : lookupByPattern(data, db, sortBy, item.element);
                if (by == null) {
                    continue;
                }
                if (alpha) {
                    if (sortBy != null) {
                        item.sortKey = by;
                    }
                } else {
                    java.util.OptionalDouble score = CNumbers.strtod(by);
                    if (score.isEmpty()) {
                        notNumbers = true;
                    } else {
                        item.score = score.getAsDouble();
                    }
                }
            }
            Comparator<Item> order = comparator(alpha, sortBy != null);
            items.sort(desc ? order.reversed() : order);
        }
        if (notNumbers) {
            throw new CommandError("ERR One or more scores can't be converted into double");
        }
        int count = (int) (end - start + 1);
        long outputLength = gets.isEmpty() ? count : (long) gets.size() * count;
        if (store == null) {
            RespWriter w = r.reply().array((int) outputLength);
            for (int k = (int) start; k <= end; k++) {
                byte[] element = items.get(k).element;
                if (gets.isEmpty()) {
                    w.bulk(element);
                }
                for (byte[] pattern : gets) {
                    w.bulk(lookupByPattern(data, db, pattern, element));
                }
            }
            return;
        }
        List<byte[]> result = new ArrayList<>();
        for (int k = (int) start; k <= end; k++) {
            byte[] element = items.get(k).element;
            if (gets.isEmpty()) {
                result.add(element);
            }
            for (byte[] pattern : gets) {
                byte[] got = lookupByPattern(data, db, pattern, element);
                result.add(got == null ? new byte[0] : got);
            }
        }
        if (!result.isEmpty()) {
            data.delete(db, store);
            PDeque<byte[]> list = new PDeque<>();
            result.forEach(list::addLast);
            data.set(db, store, list, false);
            r.modified(store);
        } else if (data.delete(db, store)) {
            r.modified(store);
        }
        r.reply().integer(outputLength);
    }

    private static Comparator<Item> comparator(boolean alpha, boolean byPattern) {
        if (!alpha) {
            return (x, y) -> x.score > y.score ? 1 : x.score < y.score ? -1 : Arrays.compareUnsigned(x.element, y.element);
        }
        if (byPattern) {
            return (x, y) -> x.sortKey == null || y.sortKey == null
                    ? (x.sortKey == y.sortKey ? 0 : x.sortKey == null ? -1 : 1)
                    : Arrays.compareUnsigned(x.sortKey, y.sortKey);
        }
        return (x, y) -> Arrays.compareUnsigned(x.element, y.element);
    }

    /** {@return a list's elements in order, or a sorted set's members by rank} */
    @SuppressWarnings("unchecked")
    private static List<byte[]> orderedElements(Object value) {
        if (value instanceof ZSet z) {
            return z.byRank(0, z.size()).stream().map(ZSet.Entry::member).toList();
        }
        return new ArrayList<>((PDeque<byte[]>) value);
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]> allElements(Object value) {
        return switch (value) {
            case null -> List.of();
            case PHashSet<?> set -> new ArrayList<>((PHashSet<byte[]>) set);
            default -> orderedElements(value);
        };
    }

    /**
     * {@return the value a SORT pattern names for {@code element}, or null}: {@code #} is the element;
     * otherwise the first {@code *} is replaced by it, giving a string key, or with {@code ->field}
     * after the {@code *} a hash key and field. A pattern without {@code *} names nothing.
     */
    @SuppressWarnings("unchecked")
    static byte[] lookupByPattern(Dataset data, int db, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length && pattern[i] != 0; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        boolean field = arrow >= 0 && arrow + 2 < pattern.length && pattern[arrow + 2] != 0;
        int keyEnd = field ? arrow : pattern.length;
        byte[] key = new byte[star + element.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Object value = data.lookup(db, key);
        if (field) {
            return value instanceof PHashMap<?, ?> hash
                    ? ((PHashMap<byte[], byte[]>) hash).get(Arrays.copyOfRange(pattern, arrow + 2, pattern.length)) : null;
        }
        return value instanceof byte[] bytes ? bytes : null;
    }

    /** {@return the first index of {@code b} in {@code bytes} from {@code from}, before any NUL (C's strchr), or -1} */
    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length && bytes[i] != 0; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
