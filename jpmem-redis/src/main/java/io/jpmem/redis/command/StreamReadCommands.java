package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.BLOCKING;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.Stream;
import io.jpmem.redis.data.StreamConsumer;
import io.jpmem.redis.data.StreamEntry;
import io.jpmem.redis.data.StreamGroup;
import io.jpmem.redis.data.StreamId;
import io.jpmem.redis.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * XREAD and XREADGROUP, as Redis 7.0 runs them: options, then per stream the key's type, the group
 * and the id ({@code $}, {@code >} or an id), then the streams that can be served are served at
 * once, in argument order. With nothing to serve and BLOCK given, the client blocks on all its keys
 * ({@link Blocking}); an XADD (any write to one of the keys) retries it in the same round, and it is
 * served when the stream's last id passed the id it waits after: for {@code $} the last id at block
 * time, for a group's {@code >} the group's last delivered id at the time of the retry. Inside
 * MULTI it answers as on a timeout; from a script BLOCK is an error, as in Redis.
 */
public final class StreamReadCommands {

    private StreamReadCommands() {}

    /** How many entries a blocked read without COUNT gets when served (Redis's XREAD_BLOCKED_DEFAULT_COUNT). */
    private static final long BLOCKED_DEFAULT_COUNT = 1000;

    public static void register(CommandTable table) {
        table.add(new CommandSpec("xread", -4, EnumSet.of(READONLY, BLOCKING), 0, 0, 0, r -> read(r, false)))
                .add(new CommandSpec("xreadgroup", -7, EnumSet.of(WRITE, BLOCKING), 0, 0, 0, r -> read(r, true)));
    }

    /** A parsed read: its streams (keys and the ids to read after: {@link StreamId#MAX} stands for {@code >}). */
    private record Read(long timeoutMillis, long count, boolean noAck, byte[] group, byte[] consumer, List<byte[]> keys,
                        StreamId[] after, boolean[] history) {}

    private static void read(Request r, boolean xreadgroup) {
        long deadline = -1;
        long count = 0;
        int streamsAt = 0;
        int streams = 0;
        byte[] group = null;
        byte[] consumer = null;
        boolean noAck = false;
        for (int i = 1; i < r.argc(); i++) {
            int more = r.argc() - i - 1;
            String o = r.keyword(i);
            if (o.equals("BLOCK") && more > 0) {
                if (r.client().runningScript()) {
                    throw new CommandError("ERR " + r.text(0) + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                deadline = blockDeadline(r, i);
            } else if (o.equals("COUNT") && more > 0) {
                i++;
                count = Math.max(0, r.longArg(i));
            } else if (o.equals("STREAMS") && more > 0) {
                streamsAt = i + 1;
                streams = r.argc() - streamsAt;
                if (streams % 2 != 0) {
                    throw new CommandError("ERR Unbalanced " + (xreadgroup ? "XREADGROUP" : "XREAD")
                            + " list of streams: for each stream key an ID or '" + (xreadgroup ? '>' : '$')
                            + "' must be specified.");
                }
                streams /= 2;
                break;
            } else if (o.equals("GROUP") && more >= 2) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                group = r.arg(i + 1);
                consumer = r.arg(i + 2);
                i += 2;
            } else if (o.equals("NOACK")) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noAck = true;
            } else {
                throw CommandError.syntax();
            }
        }
        if (streamsAt == 0) {
            throw CommandError.syntax();
        }
        if (xreadgroup && group == null) {
            throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        }
        List<byte[]> keys = r.args().subList(streamsAt, streamsAt + streams);
        StreamId[] after = new StreamId[streams];
        for (int k = 0; k < streams; k++) {
            byte[] key = keys.get(k);
            byte[] idArg = r.arg(streamsAt + streams + k);
            Stream s = StreamCommands.stream(r, key);
            if (group != null && (s == null || s.group(group) == null)) {
                throw new CommandError("NOGROUP No such key '" + text(key) + "' or consumer group '" + text(group)
                        + "' in XREADGROUP with GROUP option");
            }
            if (Arrays.equals(idArg, new byte[] {'$'})) {
                if (xreadgroup) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the"
                            + " history of this consumer by specifying a proper ID, or use the > ID to get new messages."
                            + " The $ ID would just return an empty result set.");
                }
                after[k] = s == null ? StreamId.MIN : s.lastId();
            } else if (Arrays.equals(idArg, new byte[] {'>'})) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP"
                            + " <group> <consumer> option.");
                }
                after[k] = StreamId.MAX;
            } else {
                after[k] = StreamIds.strict(idArg, 0);
            }
        }
        // Serve at once what can be served.
        RespWriter w = r.reply();
        List<byte[]> served = new ArrayList<>();
        List<Object> results = new ArrayList<>();
        for (int k = 0; k < streams; k++) {
            byte[] key = keys.get(k);
            Stream s = StreamCommands.stream(r, key);
            if (s == null) {
                continue;
            }
            StreamId gt = after[k];
            boolean now = false;
            boolean history = false;
            StreamGroup g = null;
            if (group != null) {
                g = s.group(group);
                if (!gt.equals(StreamId.MAX)) {
                    now = true;
                    history = true;
                } else if (s.length() > 0 && s.edge(false).id().after(g.lastId())) {
                    now = true;
                    gt = g.lastId();
                }
            } else if (s.length() > 0 && s.edge(false).id().after(gt)) {
                now = true;
            }
            if (now) {
                served.add(key);
                StreamId start = gt.next();
                if (g != null) {
                    consumer(g, consumer); // made or seen only when served, as redis-server 7.0.15 does
                }
                results.add(history ? history(s, g, consumer, start, count) : deliver(s, g, consumer, start, count, noAck));
                if (g != null) {
                    r.modified(key);
                }
            }
        }
        if (!served.isEmpty()) {
            writeServed(w, served, results);
            return;
        }
        if (deadline != -1) {
            if (!r.mayBlock()) {
                w.nullArray();
                return;
            }
            byte[] groupName = group;
            byte[] consumerName = consumer;
            boolean noAckFinal = noAck;
            long blockedCount = count != 0 ? count : BLOCKED_DEFAULT_COUNT;
            List<byte[]> blockedKeys = List.copyOf(keys);
            StreamId[] waitAfter = after.clone();
            r.blocking().block(r, blockedKeys, deadline, (request, readyKey) ->
                    serveBlocked(request, readyKey, blockedKeys, waitAfter, groupName, consumerName, noAckFinal, blockedCount));
            return;
        }
        w.nullArray();
    }

    /** XREAD's BLOCK milliseconds as a {@link Blocking} deadline. */
    private static long blockDeadline(Request r, int i) {
        java.util.OptionalLong ms = Numbers.parseLong(r.arg(i));
        if (ms.isEmpty()) {
            throw new CommandError("ERR timeout is not an integer or out of range");
        }
        if (ms.getAsLong() < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        // Blocking.deadline reads seconds; milliseconds are given here
        byte[] seconds = java.math.BigDecimal.valueOf(ms.getAsLong(), 3).toPlainString()
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return Blocking.deadline(seconds);
    }

    private static StreamConsumer consumer(StreamGroup g, byte[] name) {
        StreamConsumer c = g.consumer(name);
        long now = System.currentTimeMillis();
        if (c == null) {
            return g.createConsumer(name, now);
        }
        c.seen(now);
        return c;
    }

    private static void writeServed(RespWriter w, List<byte[]> keys, List<Object> results) {
        boolean resp3 = w.protocol() >= 3;
        if (resp3) {
            w.map(keys.size());
        } else {
            w.array(keys.size());
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!resp3) {
                w.array(2);
            }
            w.bulk(keys.get(i));
            writeResult(w, results.get(i));
        }
    }

    /** A history entry whose stream entry is gone: its id and a null array. */
    private record Gone(StreamId id) {}

    @SuppressWarnings("unchecked")
    private static void writeResult(RespWriter w, Object result) {
        List<Object> items = (List<Object>) result;
        w.array(items.size());
        for (Object item : items) {
            if (item instanceof Gone g) {
                w.array(2).bulk(g.id().bytes()).nullArray();
            } else {
                StreamCommands.writeEntry(w, (StreamEntry) item);
            }
        }
    }

    /**
     * {@return the entries from {@code start} on, at most {@code count} (0: all)}; for a group, each
     * moves the group's last id and (unless NOACK) becomes pending for {@code c}, delivered now once.
     */
    private static List<Object> deliver(Stream s, StreamGroup g, byte[] consumer, StreamId start, long count, boolean noAck) {
        List<StreamEntry> entries = s.range(start, StreamId.MAX, count == 0 ? -1 : count, false);
        if (g != null) {
            long now = System.currentTimeMillis();
            for (StreamEntry e : entries) {
                if (e.id().after(g.lastId())) {
                    s.delivered(g, e.id());
                }
                if (!noAck) {
                    g.setPending(new StreamGroup.Pending(e.id(), consumer, now, 1));
                }
            }
        }
        return new ArrayList<>(entries);
    }

    /** {@return the consumer's own pending entries from {@code start} on (a deleted one as {@link Gone}); each delivered again} */
    private static List<Object> history(Stream s, StreamGroup g, byte[] consumer, StreamId start, long count) {
        List<Object> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (StreamId id : g.consumer(consumer).pendingIds(start, StreamId.MAX, count == 0 ? -1 : count)) {
            StreamEntry e = s.get(id);
            if (e == null) {
                out.add(new Gone(id));
            } else {
                StreamGroup.Pending p = g.pending(id);
                g.setPending(new StreamGroup.Pending(id, consumer, now, p.deliveryCount() + 1));
                out.add(e);
            }
        }
        return out;
    }

    private static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A blocked read retried because {@code readyKey} changed: serves it if that stream has entries past what it waits after. */
    private static boolean serveBlocked(Request r, byte[] readyKey, List<byte[]> keys, StreamId[] after, byte[] group,
                                        byte[] consumer, boolean noAck, long count) {
        if (!(r.server().dataset().lookup(r.client().db(), readyKey) instanceof Stream s)) {
            return false;
        }
        int k = 0;
        while (!Arrays.equals(keys.get(k), readyKey)) {
            k++;
        }
        StreamId gt = after[k];
        StreamGroup g = null;
        if (group != null) {
            g = s.group(group);
            if (g == null) {
                r.reply().error("NOGROUP the consumer group this client was blocked on no longer exists");
                return true;
            }
            gt = g.lastId();
        }
        if (!s.lastId().after(gt)) {
            return false;
        }
        if (g != null) {
            consumer(g, consumer);
        }
        List<Object> result = deliver(s, g, consumer, gt.next(), count, noAck);
        writeServed(r.reply(), List.of(readyKey), List.of(result));
        if (g != null) {
            r.modified(readyKey);
        }
        return true;
    }
}
