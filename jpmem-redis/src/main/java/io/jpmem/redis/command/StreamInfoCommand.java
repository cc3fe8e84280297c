package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;

import io.jpmem.redis.data.Stream;
import io.jpmem.redis.data.StreamConsumer;
import io.jpmem.redis.data.StreamEntry;
import io.jpmem.redis.data.StreamGroup;
import io.jpmem.redis.data.StreamId;
import io.jpmem.redis.protocol.RespWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP, with Redis 7.0's
 * fields. {@code radix-tree-keys} is the number of listpack nodes Redis would use (see
 * {@code StreamNodes}); {@code radix-tree-nodes}, the internal node count of Redis's radix tree,
 * has no counterpart here and is reported as that plus one (docs/redis.md says so).
 */
public final class StreamInfoCommand {

    private StreamInfoCommand() {}

    private static final List<String> HELP = List.of(
            "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
            "HELP",
            "    Prints this help.");

    public static void register(CommandTable table) {
        table.add(new CommandSpec("xinfo", -2, EnumSet.of(READONLY), 0, 0, 0, StreamInfoCommand::xinfo));
    }

    private static void xinfo(Request r) {
        String sub = r.keyword(1);
        boolean arityOk = switch (sub) {
            case "CONSUMERS" -> r.argc() == 4;
            case "GROUPS" -> r.argc() == 3;
            case "STREAM" -> r.argc() >= 3;
            case "HELP" -> r.argc() == 2;
            default -> throw new CommandError("ERR unknown subcommand '" + r.text(1) + "'. Try XINFO HELP.");
        };
        if (!arityOk) {
            throw new CommandError("ERR wrong number of arguments for 'xinfo|" + sub.toLowerCase(Locale.ROOT) + "' command");
        }
        RespWriter w = r.reply();
        if (sub.equals("HELP")) {
            w.array(HELP.size());
            HELP.forEach(w::simple);
            return;
        }
        Stream s = StreamCommands.stream(r, r.arg(2));
        if (s == null) {
            throw new CommandError("ERR no such key");
        }
        long now = System.currentTimeMillis();
        switch (sub) {
            case "CONSUMERS" -> {
                StreamGroup g = s.group(r.arg(3));
                if (g == null) {
                    throw new CommandError("NOGROUP No such consumer group '" + StreamGroupCommands.text(r.arg(3))
                            + "' for key name '" + StreamGroupCommands.text(r.arg(2)) + "'");
                }
                List<Map.Entry<byte[], StreamConsumer>> consumers = g.consumers();
                w.array(consumers.size());
                for (Map.Entry<byte[], StreamConsumer> e : consumers) {
                    w.map(3).bulk("name").bulk(e.getKey()).bulk("pending").integer(e.getValue().pendingCount())
                            .bulk("idle").integer(Math.max(0, now - e.getValue().seenTime()));
                }
            }
            case "GROUPS" -> {
                List<Map.Entry<byte[], StreamGroup>> groups = s.groups();
                w.array(groups.size());
                for (Map.Entry<byte[], StreamGroup> e : groups) {
                    StreamGroup g = e.getValue();
                    w.map(6).bulk("name").bulk(e.getKey()).bulk("consumers").integer(g.consumerCount())
                            .bulk("pending").integer(g.pendingCount())
                            .bulk("last-delivered-id").bulk(g.lastId().bytes());
                    entriesReadAndLag(w, s, g);
                }
            }
            default -> stream(r, s, now);
        }
    }

    private static void entriesReadAndLag(RespWriter w, Stream s, StreamGroup g) {
        w.bulk("entries-read");
        if (g.entriesRead() == StreamGroup.UNKNOWN_ENTRIES_READ) {
            w.nullBulk();
        } else {
            w.integer(g.entriesRead());
        }
        w.bulk("lag");
        Long lag = s.lag(g);
        if (lag == null) {
            w.nullBulk();
        } else {
            w.integer(lag);
        }
    }

    private static CommandError syntax(Request r) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + r.text(1)
                + "'. Try XINFO HELP.");
    }

    private static void stream(Request r, Stream s, long now) {
        boolean full = false;
        long count = 10;
        if (r.argc() > 3) {
            if (!r.keyword(3).equals("FULL")) {
                throw syntax(r);
            }
            full = true;
            if (r.argc() == 6 && r.keyword(4).equals("COUNT")) {
                count = r.longArg(5);
                if (count < 0) {
                    count = 10;
                }
            } else if (r.argc() > 4) {
                throw syntax(r);
            }
        }
        RespWriter w = r.reply();
        w.map(full ? 9 : 10).bulk("length").integer(s.length())
                .bulk("radix-tree-keys").integer(s.nodeCount())
                .bulk("radix-tree-nodes").integer(s.nodeCount() + 1)
                .bulk("last-generated-id").bulk(s.lastId().bytes())
                .bulk("max-deleted-entry-id").bulk(s.maxDeletedId().bytes())
                .bulk("entries-added").integer(s.entriesAdded())
                .bulk("recorded-first-entry-id").bulk(s.firstId().bytes());
        if (!full) {
            w.bulk("groups").integer(s.groupCount());
            for (String edge : List.of("first-entry", "last-entry")) {
                w.bulk(edge);
                StreamEntry e = s.edge(edge.startsWith("first"));
                if (e == null) {
                    w.nullBulk();
                } else {
                    StreamCommands.writeEntry(w, e);
                }
            }
            return;
        }
        long limit = count == 0 ? -1 : count;
        w.bulk("entries");
        StreamCommands.writeEntries(w, s.range(StreamId.MIN, StreamId.MAX, limit, false));
        w.bulk("groups");
        List<Map.Entry<byte[], StreamGroup>> groups = s.groups();
        w.array(groups.size());
        for (Map.Entry<byte[], StreamGroup> e : groups) {
            StreamGroup g = e.getValue();
            w.map(7).bulk("name").bulk(e.getKey()).bulk("last-delivered-id").bulk(g.lastId().bytes());
            entriesReadAndLag(w, s, g);
            w.bulk("pel-count").integer(g.pendingCount()).bulk("pending");
            List<StreamGroup.Pending> pending = g.pendingRange(StreamId.MIN, StreamId.MAX, limit);
            w.array(pending.size());
            for (StreamGroup.Pending p : pending) {
                w.array(4).bulk(p.id().bytes()).bulk(p.consumer()).integer(p.deliveryTime()).integer(p.deliveryCount());
            }
            List<Map.Entry<byte[], StreamConsumer>> consumers = g.consumers();
            w.bulk("consumers").array(consumers.size());
            for (Map.Entry<byte[], StreamConsumer> ce : consumers) {
                StreamConsumer c = ce.getValue();
                w.map(4).bulk("name").bulk(ce.getKey()).bulk("seen-time").integer(c.seenTime())
                        .bulk("pel-count").integer(c.pendingCount()).bulk("pending");
                List<StreamId> ids = c.pendingIds(StreamId.MIN, StreamId.MAX, limit);
                w.array(ids.size());
                for (StreamId id : ids) {
                    StreamGroup.Pending p = g.pending(id);
                    w.array(3).bulk(id.bytes()).integer(p.deliveryTime()).integer(p.deliveryCount());
                }
            }
        }
    }
}
