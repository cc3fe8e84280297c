package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.Stream;
import io.jpmem.redis.data.StreamEntry;
import io.jpmem.redis.data.StreamId;
import io.jpmem.redis.protocol.RespWriter;
import java.util.EnumSet;
import java.util.List;

/**
 * The stream commands on entries: XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM and XSETID, as Redis 7.0
 * runs them (the checks in its order, every argument before the first change). The consumer-group
 * commands are {@link StreamGroupCommands}, the reads {@link StreamReadCommands}, XINFO
 * {@link StreamInfoCommand}.
 */
public final class StreamCommands {

    private StreamCommands() {}

    public static void register(CommandTable table) {
        table.add(spec("xadd", -5, EnumSet.of(WRITE, DENY_OOM, FAST), 1, 1, 1, StreamCommands::xadd))
                .add(spec("xrange", -4, EnumSet.of(READONLY), 1, 1, 1, r -> xrange(r, false)))
                .add(spec("xrevrange", -4, EnumSet.of(READONLY), 1, 1, 1, r -> xrange(r, true)))
                .add(spec("xlen", 2, EnumSet.of(READONLY, FAST), 1, 1, 1, r -> {
                    Stream s = stream(r, r.arg(1));
                    r.reply().integer(s == null ? 0 : s.length());
                }))
                .add(spec("xdel", -3, EnumSet.of(WRITE, FAST), 1, 1, 1, StreamCommands::xdel))
                .add(spec("xtrim", -4, EnumSet.of(WRITE), 1, 1, 1, StreamCommands::xtrim))
                .add(spec("xsetid", -3, EnumSet.of(WRITE, DENY_OOM, FAST), 1, 1, 1, StreamCommands::xsetid));
    }

    /** {@return the stream at {@code key}, or null} @throws CommandError WRONGTYPE */
    static Stream stream(Request r, byte[] key) {
        return CollectionCommands.existing(r, key, Stream.class);
    }

    /** Writes entries as Redis does: an array of [id, [field, value, ...]]. */
    static void writeEntries(RespWriter w, List<StreamEntry> entries) {
        w.array(entries.size());
        for (StreamEntry e : entries) {
            writeEntry(w, e);
        }
    }

    static void writeEntry(RespWriter w, StreamEntry e) {
        w.array(2).bulk(e.id().bytes()).array(e.fieldsValues().size());
        for (byte[] s : e.fieldsValues()) {
            w.bulk(s);
        }
    }

    // ------------------------------------------------------------------ trimming options

    /** XADD's and XTRIM's options; {@code maxLength} -1 with a null {@code minId}: no trimming. */
    record Trim(long maxLength, StreamId minId, boolean approximate, long limit, boolean noMkStream, int next,
                StreamIds.Parsed id) {
        boolean any() {
            return maxLength >= 0 || minId != null;
        }

        long apply(Stream s) {
            return any() ? s.trim(maxLength, minId, approximate, limit) : 0;
        }
    }

    /**
     * Parses the options from argument 2 on; for XADD it stops at the first argument that is no
     * option (the id, parsed there: {@link Trim#id}, null for {@code *}), whose index is {@link Trim#next} ({@code argc} when there is none).
     */
    static Trim trimOptions(Request r, boolean xadd) {
        long maxLength = -1;
        StreamId minId = null;
        boolean approximate = false;
        boolean limitGiven = false;
        long limit = 0;
        boolean noMkStream = false;
        StreamIds.Parsed id = null;
        int i = 2;
        for (; i < r.argc(); i++) {
            int more = r.argc() - 1 - i;
            String option = r.keyword(i);
            if (xadd && option.equals("*")) {
                break;
            } else if ((option.equals("MAXLEN") || option.equals("MINID")) && more > 0) {
                if (maxLength >= 0 || minId != null) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                approximate = false;
                if (more >= 2 && (r.text(i + 1).equals("~") || r.text(i + 1).equals("="))) {
                    approximate = r.text(i + 1).equals("~");
                    i++;
                }
                if (option.equals("MAXLEN")) {
                    maxLength = r.longArg(i + 1);
                    if (maxLength < 0) {
                        throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                    }
                } else {
                    minId = StreamIds.strict(r.arg(i + 1), 0);
                }
                i++;
            } else if (option.equals("LIMIT") && more > 0) {
                limit = r.longArg(i + 1);
                if (limit < 0) {
                    throw new CommandError("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && option.equals("NOMKSTREAM")) {
                noMkStream = true;
            } else if (xadd) {
                id = StreamIds.parse(r.arg(i), 0, true);
                break;
            } else {
                throw CommandError.syntax();
            }
        }
        if (limitGiven) {
            if (maxLength < 0 && minId == null) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            }
            if (!approximate) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else {
            limit = approximate ? 100L * 100 : 0; // 100 x stream-node-max-entries
        }
        return new Trim(maxLength, minId, approximate, limit, noMkStream, i, id);
    }

    // ------------------------------------------------------------------ XADD

    private static void xadd(Request r) {
        Trim trim = trimOptions(r, true);
        int idAt = trim.next();
        int pairs = r.argc() - idAt - 1;
        StreamIds.Parsed given = trim.id();
        if (pairs < 2 || pairs % 2 == 1) {
            throw CommandError.arity("xadd");
        }
        if (given != null && given.seqGiven() && given.id().isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        byte[] key = r.arg(1);
        Stream s = stream(r, key);
        if (s == null && trim.noMkStream()) {
            r.reply().nullBulk();
            return;
        }
        StreamId last = s == null ? StreamId.MIN : s.lastId();
        if (last.equals(StreamId.MAX)) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id = nextId(last, given);
        if (s == null) {
            s = new Stream();
            CollectionCommands.data(r).set(r.client().db(), key, s, false);
        }
        s.append(id, List.copyOf(r.args().subList(idAt + 1, r.argc())));
        r.reply().bulk(id.bytes());
        r.modified(key);
        trim.apply(s);
    }

    /** {@return the id XADD adds after {@code last} for {@code given} (null: {@code *})} @throws CommandError if not above it */
    private static StreamId nextId(StreamId last, StreamIds.Parsed given) {
        if (given == null) {
            long now = System.currentTimeMillis();
            return Long.compareUnsigned(now, last.ms()) > 0 ? new StreamId(now, 0) : last.next();
        }
        StreamId id = given.id();
        if (!given.seqGiven()) {
            if (id.ms() == last.ms()) {
                if (last.seq() == -1L) {
                    throw notAboveTop();
                }
                return new StreamId(id.ms(), last.seq() + 1);
            }
            if (Long.compareUnsigned(id.ms(), last.ms()) > 0) {
                return id;
            }
            throw notAboveTop();
        }
        if (!id.after(last)) {
            throw notAboveTop();
        }
        return id;
    }

    private static CommandError notAboveTop() {
        return new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    }

    // ------------------------------------------------------------------ XRANGE / XREVRANGE

    /** {@return the bound {@code arg} spells, {@code (} making it exclusive} @throws CommandError if none */
    static StreamId bound(byte[] arg, boolean start) {
        long missingSeq = start ? 0 : -1L;
        if (arg.length > 1 && arg[0] == '(') {
            StreamId id = StreamIds.strict(java.util.Arrays.copyOfRange(arg, 1, arg.length), missingSeq);
            StreamId moved = start ? id.next() : id.previous();
            if (moved == null) {
                throw new CommandError(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
            }
            return moved;
        }
        return StreamIds.range(arg, missingSeq);
    }

    private static void xrange(Request r, boolean reverse) {
        StreamId start = bound(r.arg(reverse ? 3 : 2), true);
        StreamId end = bound(r.arg(reverse ? 2 : 3), false);
        long count = -1;
        for (int j = 4; j < r.argc(); j++) {
            if (r.keyword(j).equals("COUNT") && j + 1 < r.argc()) {
                count = Math.max(0, r.longArg(j + 1));
                j++;
            } else {
                throw CommandError.syntax();
            }
        }
        Stream s = stream(r, r.arg(1));
        if (s == null) {
            r.reply().array(0);
            return;
        }
        if (count == 0) {
            r.reply().nullArray();
            return;
        }
        writeEntries(r.reply(), s.range(start, end, count, reverse));
    }

    // ------------------------------------------------------------------ XDEL / XTRIM / XSETID

    private static void xdel(Request r) {
        Stream s = stream(r, r.arg(1));
        if (s == null) {
            r.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[r.argc() - 2];
        for (int j = 2; j < r.argc(); j++) {
            ids[j - 2] = StreamIds.strict(r.arg(j), 0);
        }
        long deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                deleted++;
                if (id.after(s.maxDeletedId())) {
                    s.setMaxDeletedId(id);
                }
            }
        }
        if (deleted > 0) {
            r.modified(r.arg(1));
        }
        r.reply().integer(deleted);
    }

    private static void xtrim(Request r) {
        Trim trim = trimOptions(r, false);
        if (!trim.any()) {
            throw CommandError.syntax();
        }
        Stream s = stream(r, r.arg(1));
        if (s == null) {
            r.reply().integer(0);
            return;
        }
        long removed = trim.apply(s);
        if (removed > 0) {
            r.modified(r.arg(1));
        }
        r.reply().integer(removed);
    }

    private static void xsetid(Request r) {
        StreamId id = StreamIds.strict(r.arg(2), 0);
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < r.argc(); i++) {
            int more = r.argc() - 1 - i;
            String option = r.keyword(i);
            if (option.equals("ENTRIESADDED") && more > 0) {
                entriesAdded = r.longArg(++i);
                if (entriesAdded < 0) {
                    throw new CommandError("ERR entries_added must be positive");
                }
            } else if (option.equals("MAXDELETEDID") && more > 0) {
                maxDeleted = StreamIds.strict(r.arg(++i), 0);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new CommandError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw CommandError.syntax();
            }
        }
        Stream s = stream(r, r.arg(1));
        if (s == null) {
            throw new CommandError("ERR no such key");
        }
        if (s.length() > 0) {
            if (id.compareTo(s.edge(false).id()) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandError("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        if (id.compareTo(s.maxDeletedId()) < 0) {
            throw new CommandError("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
        }
        s.setLastId(id);
        if (entriesAdded != -1) {
            s.setEntriesAdded(entriesAdded);
        }
        if (!maxDeleted.isZero()) {
            s.setMaxDeletedId(maxDeleted);
        }
        r.modified(r.arg(1));
        r.reply().simple("OK");
    }
}
