package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.redis.data.Stream;
import io.jpmem.redis.data.StreamConsumer;
import io.jpmem.redis.data.StreamEntry;
import io.jpmem.redis.data.StreamGroup;
import io.jpmem.redis.data.StreamId;
import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The consumer-group commands: XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP),
 * XACK, XPENDING, XCLAIM and XAUTOCLAIM, as Redis 7.0 runs them. Idle times are measured with the
 * wall clock in milliseconds, as Redis does.
 */
public final class StreamGroupCommands {

    private StreamGroupCommands() {}

    public static void register(CommandTable table) {
        table.add(new CommandSpec("xgroup", -2, EnumSet.of(WRITE, DENY_OOM), 0, 0, 0, StreamGroupCommands::xgroup))
                .add(new CommandSpec("xack", -4, EnumSet.of(WRITE, FAST), 1, 1, 1, StreamGroupCommands::xack))
                .add(new CommandSpec("xpending", -3, EnumSet.of(READONLY), 1, 1, 1, StreamGroupCommands::xpending))
                .add(new CommandSpec("xclaim", -6, EnumSet.of(WRITE, FAST), 1, 1, 1, StreamGroupCommands::xclaim))
                .add(new CommandSpec("xautoclaim", -6, EnumSet.of(WRITE, FAST), 1, 1, 1, StreamGroupCommands::xautoclaim));
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static CommandError noKeyOrGroup(byte[] key, byte[] group) {
        return new CommandError("NOGROUP No such key '" + text(key) + "' or consumer group '" + text(group) + "'");
    }

    private static final List<String> XGROUP_HELP = List.of(
            "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
            "HELP",
            "    Prints this help.");

    // ------------------------------------------------------------------ XGROUP

    private static long entriesReadArg(Request r, int i) {
        long n = r.longArg(i);
        if (n < 0 && n != StreamGroup.UNKNOWN_ENTRIES_READ) {
            throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
        }
        return n;
    }

    private static void xgroup(Request r) {
        String sub = r.keyword(1);
        int argc = r.argc();
        boolean arityOk = switch (sub) {
            case "CREATE", "SETID" -> argc >= 5;
            case "DESTROY" -> argc == 4;
            case "CREATECONSUMER", "DELCONSUMER" -> argc == 5;
            case "HELP" -> argc == 2;
            default -> throw new CommandError("ERR unknown subcommand '" + r.text(1) + "'. Try XGROUP HELP.");
        };
        if (!arityOk) {
            throw new CommandError("ERR wrong number of arguments for 'xgroup|" + sub.toLowerCase(Locale.ROOT) + "' command");
        }
        if (sub.equals("HELP")) {
            r.reply().array(XGROUP_HELP.size());
            XGROUP_HELP.forEach(r.reply()::simple);
            return;
        }
        byte[] key = r.arg(2);
        byte[] name = r.arg(3);
        boolean mkStream = false;
        long entriesRead = StreamGroup.UNKNOWN_ENTRIES_READ;
        if (sub.equals("CREATE")) {
            for (int i = 5; i < argc; ) {
                if (r.keyword(i).equals("MKSTREAM")) {
                    mkStream = true;
                    i++;
                } else if (r.keyword(i).equals("ENTRIESREAD") && i + 1 < argc) {
                    entriesRead = entriesReadArg(r, i + 1);
                    i += 2;
                } else {
                    throw subcommandSyntax(r);
                }
            }
        }
        if (sub.equals("SETID") && argc == 7 && r.keyword(5).equals("ENTRIESREAD")) {
            entriesRead = entriesReadArg(r, 6);
        }
        Stream s = StreamCommands.stream(r, key);
        if (s == null && !(sub.equals("CREATE") && mkStream)) {
            throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may"
                    + " want to use the MKSTREAM option to create an empty stream automatically.");
        }
        StreamGroup g = s == null ? null : s.group(name);
        if (g == null && (sub.equals("SETID") || sub.equals("CREATECONSUMER") || sub.equals("DELCONSUMER"))) {
            throw new CommandError("NOGROUP No such consumer group '" + text(name) + "' for key name '" + text(key) + "'");
        }
        switch (sub) {
            case "CREATE" -> {
                if (argc > 8) {
                    throw subcommandSyntax(r);
                }
                StreamId id = groupId(r, s);
                if (s == null) {
                    s = new Stream();
                    CollectionCommands.data(r).set(r.client().db(), key, s, false);
                    r.modified(key);
                }
                if (s.group(name) != null) {
                    throw new CommandError("BUSYGROUP Consumer Group name already exists");
                }
                s.createGroup(name, id, entriesRead);
                r.modified(key);
                r.reply().simple("OK");
            }
            case "SETID" -> {
                if (argc != 5 && argc != 7) {
                    throw subcommandSyntax(r);
                }
                StreamId id = groupId(r, s);
                if (argc == 7 && !r.keyword(5).equals("ENTRIESREAD")) {
                    throw subcommandSyntax(r);
                }
                g.setLastId(id);
                g.setEntriesRead(entriesRead);
                r.modified(key);
                r.reply().simple("OK");
            }
            case "DESTROY" -> {
                if (g == null) {
                    r.reply().integer(0);
                    return;
                }
                s.destroyGroup(name);
                r.modified(key);
                r.reply().integer(1);
            }
            case "CREATECONSUMER" -> {
                if (g.consumer(r.arg(4)) != null) {
                    r.reply().integer(0);
                    return;
                }
                g.createConsumer(r.arg(4), System.currentTimeMillis());
                r.modified(key);
                r.reply().integer(1);
            }
            default -> { // DELCONSUMER
                long pending = g.deleteConsumer(r.arg(4));
                if (pending >= 0) {
                    r.modified(key);
                }
                r.reply().integer(Math.max(0, pending));
            }
        }
    }

    private static CommandError subcommandSyntax(Request r) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + r.text(1)
                + "'. Try XGROUP HELP.");
    }

    /** {@return XGROUP CREATE's or SETID's id: {@code $} is the stream's last id} */
    private static StreamId groupId(Request r, Stream s) {
        if (r.text(4).equals("$")) {
            return s == null ? StreamId.MIN : s.lastId();
        }
        return StreamIds.strict(r.arg(4), 0);
    }

    // ------------------------------------------------------------------ XACK

    private static void xack(Request r) {
        Stream s = StreamCommands.stream(r, r.arg(1));
        StreamGroup g = s == null ? null : s.group(r.arg(2));
        if (g == null) {
            r.reply().integer(0);
            return;
        }
        List<StreamId> ids = new ArrayList<>();
        for (int j = 3; j < r.argc(); j++) {
            ids.add(StreamIds.strict(r.arg(j), 0));
        }
        long acknowledged = 0;
        for (StreamId id : ids) {
            if (g.acknowledge(id)) {
                acknowledged++;
            }
        }
        if (acknowledged > 0) {
            r.modified(r.arg(1));
        }
        r.reply().integer(acknowledged);
    }

    // ------------------------------------------------------------------ XPENDING

    private static void xpending(Request r) {
        int argc = r.argc();
        boolean summary = argc == 3;
        if (argc != 3 && (argc < 6 || argc > 9)) {
            throw CommandError.syntax();
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (argc >= 6) {
            int at = 3;
            if (r.keyword(3).equals("IDLE")) {
                minIdle = r.longArg(4);
                if (argc < 8) {
                    throw CommandError.syntax();
                }
                at += 2;
            }
            count = Math.max(0, r.longArg(at + 2));
            start = StreamCommands.bound(r.arg(at), true);
            end = StreamCommands.bound(r.arg(at + 1), false);
            if (at + 3 < argc) {
                consumerName = r.arg(at + 3);
            }
        }
        Stream s = StreamCommands.stream(r, r.arg(1));
        StreamGroup g = s == null ? null : s.group(r.arg(2));
        if (g == null) {
            throw noKeyOrGroup(r.arg(1), r.arg(2));
        }
        RespWriter w = r.reply();
        if (summary) {
            w.array(4).integer(g.pendingCount());
            if (g.pendingCount() == 0) {
                w.nullBulk().nullBulk().nullArray();
                return;
            }
            List<StreamGroup.Pending> all = g.pendingRange(StreamId.MIN, StreamId.MAX, 1);
            w.bulk(all.getFirst().id().bytes());
            w.bulk(lastPending(g).bytes());
            List<Map.Entry<byte[], StreamConsumer>> owners = new ArrayList<>();
            for (Map.Entry<byte[], StreamConsumer> e : g.consumers()) {
                if (e.getValue().pendingCount() > 0) {
                    owners.add(e);
                }
            }
            w.array(owners.size());
            for (Map.Entry<byte[], StreamConsumer> e : owners) {
                w.array(2).bulk(e.getKey()).bulk(Long.toString(e.getValue().pendingCount()));
            }
            return;
        }
        List<StreamGroup.Pending> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        if (consumerName != null) {
            StreamConsumer c = g.consumer(consumerName);
            if (c == null) {
                w.array(0);
                return;
            }
            for (StreamId id : c.pendingIds(start, end, -1)) {
                if (out.size() >= count) {
                    break;
                }
                StreamGroup.Pending p = g.pending(id);
                if (minIdle == 0 || now - p.deliveryTime() >= minIdle) {
                    out.add(p);
                }
            }
        } else if (count > 0 && !start.after(end)) {
            for (StreamGroup.Pending p : g.pendingRange(start, end, -1)) {
                if (out.size() >= count) {
                    break;
                }
                if (minIdle == 0 || now - p.deliveryTime() >= minIdle) {
                    out.add(p);
                }
            }
        }
        w.array(out.size());
        for (StreamGroup.Pending p : out) {
            w.array(4).bulk(p.id().bytes()).bulk(p.consumer()).integer(Math.max(0, now - p.deliveryTime()))
                    .integer(p.deliveryCount());
        }
    }

    private static StreamId lastPending(StreamGroup g) {
        return g.lastPendingId();
    }

    // ------------------------------------------------------------------ XCLAIM / XAUTOCLAIM

    private static long longArg(Request r, int i, String error) {
        return Numbers.parseLong(r.arg(i)).orElseThrow(() -> new CommandError("ERR " + error));
    }

    private static void xclaim(Request r) {
        Stream s = StreamCommands.stream(r, r.arg(1));
        StreamGroup g = s == null ? null : s.group(r.arg(2));
        if (g == null) {
            throw noKeyOrGroup(r.arg(1), r.arg(2));
        }
        long minIdle = Math.max(0, longArg(r, 4, "Invalid min-idle-time argument for XCLAIM"));
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < r.argc(); j++) {
            try {
                ids.add(StreamIds.strict(r.arg(j), 0));
            } catch (CommandError notAnId) {
                break;
            }
        }
        long now = System.currentTimeMillis();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < r.argc(); j++) {
            int more = r.argc() - 1 - j;
            String option = r.keyword(j);
            if (option.equals("FORCE")) {
                force = true;
            } else if (option.equals("JUSTID")) {
                justId = true;
            } else if (option.equals("IDLE") && more > 0) {
                deliveryTime = now - longArg(r, ++j, "Invalid IDLE option argument for XCLAIM");
            } else if (option.equals("TIME") && more > 0) {
                deliveryTime = longArg(r, ++j, "Invalid TIME option argument for XCLAIM");
            } else if (option.equals("RETRYCOUNT") && more > 0) {
                retryCount = longArg(r, ++j, "Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (option.equals("LASTID") && more > 0) {
                lastId = StreamIds.strict(r.arg(++j), 0);
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + r.text(j) + "'");
            }
        }
        boolean changed = false;
        if (lastId.after(g.lastId())) {
            g.setLastId(lastId);
            changed = true;
        }
        if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) {
            deliveryTime = now;
        }
        byte[] name = r.arg(3);
        boolean consumerReady = false;
        List<Object> claimed = new ArrayList<>();
        for (StreamId id : ids) {
            StreamGroup.Pending p = g.pending(id);
            StreamEntry entry = s.get(id);
            if (entry == null) {
                if (p != null) {
                    g.acknowledge(id);
                    changed = true;
                }
                continue;
            }
            boolean forced = false;
            if (p == null) {
                if (!force) {
                    continue;
                }
                forced = true;
            } else if (minIdle > 0 && now - p.deliveryTime() < minIdle) {
                continue;
            }
            if (!consumerReady) {
                claimingConsumer(g, name, now);
                consumerReady = true;
            }
            long count = forced ? 1 : p.deliveryCount();
            if (retryCount >= 0) {
                count = retryCount;
            } else if (!justId) {
                count++;
            }
            g.setPending(new StreamGroup.Pending(id, name, deliveryTime, count));
            changed = true;
            claimed.add(justId ? id : entry);
        }
        if (changed || consumerReady) {
            r.modified(r.arg(1));
        }
        writeClaimed(r.reply(), claimed);
    }

    private static void claimingConsumer(StreamGroup g, byte[] name, long now) {
        StreamConsumer c = g.consumer(name);
        if (c == null) {
            g.createConsumer(name, now);
        } else {
            c.seen(now);
        }
    }

    private static void writeClaimed(RespWriter w, List<Object> claimed) {
        w.array(claimed.size());
        for (Object o : claimed) {
            if (o instanceof StreamId id) {
                w.bulk(id.bytes());
            } else {
                StreamCommands.writeEntry(w, (StreamEntry) o);
            }
        }
    }

    private static void xautoclaim(Request r) {
        long minIdle = Math.max(0, longArg(r, 4, "Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = StreamCommands.bound(r.arg(5), true);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < r.argc(); j++) {
            int more = r.argc() - 1 - j;
            String option = r.keyword(j);
            if (option.equals("COUNT") && more > 0) {
                java.util.OptionalLong n = Numbers.parseLong(r.arg(j + 1));
                if (n.isEmpty() || n.getAsLong() < 1 || n.getAsLong() > Long.MAX_VALUE / 16) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                count = n.getAsLong();
                j++;
            } else if (option.equals("JUSTID")) {
                justId = true;
            } else {
                throw CommandError.syntax();
            }
        }
        Stream s = StreamCommands.stream(r, r.arg(1));
        StreamGroup g = s == null ? null : s.group(r.arg(2));
        if (g == null) {
            throw noKeyOrGroup(r.arg(1), r.arg(2));
        }
        long attempts = count * 10;
        long now = System.currentTimeMillis();
        byte[] name = r.arg(3);
        boolean consumerReady = false;
        List<Object> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        StreamId cursor = start;
        StreamId next = StreamId.MIN;
        while (true) {
            List<StreamGroup.Pending> batch = g.pendingRange(cursor, StreamId.MAX, 1);
            if (batch.isEmpty()) {
                next = StreamId.MIN;
                break;
            }
            StreamGroup.Pending p = batch.getFirst();
            if (attempts == 0 || count == 0) {
                next = p.id();
                break;
            }
            attempts--;
            StreamId following = p.id().next();
            StreamEntry entry = s.get(p.id());
            if (entry == null) {
                g.acknowledge(p.id());
                deleted.add(p.id());
                count--;
            } else if (minIdle == 0 || now - p.deliveryTime() >= minIdle) {
                if (!consumerReady) {
                    claimingConsumer(g, name, now);
                    consumerReady = true;
                }
                g.setPending(new StreamGroup.Pending(p.id(), name, now, justId ? p.deliveryCount() : p.deliveryCount() + 1));
                claimed.add(justId ? p.id() : entry);
                count--;
            }
            if (following == null) {
                next = StreamId.MIN;
                break;
            }
            cursor = following;
        }
        if (consumerReady || !deleted.isEmpty()) {
            r.modified(r.arg(1));
        }
        RespWriter w = r.reply().array(3).bulk(next.bytes());
        writeClaimed(w, claimed);
        w.array(deleted.size());
        for (StreamId id : deleted) {
            w.bulk(id.bytes());
        }
    }
}
