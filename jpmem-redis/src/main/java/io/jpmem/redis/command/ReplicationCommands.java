package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.ADMIN;
import static io.jpmem.redis.command.CommandSpec.Flag.NO_MULTI;
import static io.jpmem.redis.command.CommandSpec.Flag.NO_SCRIPT;

import java.util.EnumSet;

/**
 * Replication's commands: REPLCONF and PSYNC/SYNC (what a replica sends its master), WAIT, ROLE, REPLICAOF and SLAVEOF. The work is the server's {@link ReplicationControl}; these check the
 * arguments as Redis 7.0 does and word the replies.
 */
public final class ReplicationCommands {

    private ReplicationCommands() {}

    public static void register(CommandTable table) {
        table.add(spec("replconf", -1, EnumSet.of(ADMIN, NO_SCRIPT), 0, 0, 0, ReplicationCommands::replconf))
                .add(spec("psync", -3, EnumSet.of(ADMIN, NO_MULTI, NO_SCRIPT), 0, 0, 0, ReplicationCommands::psync))
                .add(spec("sync", 1, EnumSet.of(ADMIN, NO_MULTI, NO_SCRIPT), 0, 0, 0, ReplicationCommands::sync))
                .add(spec("wait", 3, EnumSet.of(NO_SCRIPT), 0, 0, 0, ReplicationCommands::waitCommand))
                .add(spec("role", 1, EnumSet.of(CommandSpec.Flag.FAST, NO_SCRIPT), 0, 0, 0, r -> control(r).role(r.reply())))
                .add(spec("replicaof", 3, EnumSet.of(ADMIN, NO_SCRIPT), 0, 0, 0, ReplicationCommands::replicaOf))
                .add(spec("slaveof", 3, EnumSet.of(ADMIN, NO_SCRIPT), 0, 0, 0, ReplicationCommands::replicaOf));
    }

    private static ReplicationControl control(Request r) {
        ReplicationControl c = r.server().replication();
        if (c == null) {
            throw new CommandError("ERR replication is not available in this server");
        }
        return c;
    }

    /** REPLCONF option value ...: ACK and GETACK get no reply, as in Redis. */
    private static void replconf(Request r) {
        if (r.argc() % 2 == 0) {
            throw CommandError.syntax();
        }
        ReplicationControl c = control(r);
        for (int i = 1; i < r.argc(); i += 2) {
            String option = r.text(i).toLowerCase(java.util.Locale.ROOT);
            switch (option) {
                case "listening-port" -> {
                    long port = r.longArg(i + 1);
                    if (port < 0 || port > 65535) {
                        throw new CommandError("ERR value is out of range");
                    }
                    c.listeningPort(r.client(), (int) port);
                }
                case "ip-address" -> c.ipAddress(r.client(), r.text(i + 1));
                case "capa", "rdb-only", "rdb-filter-only" -> { } // every replica gets the same stream
                case "ack" -> {
                    Numbers.parseLong(r.arg(i + 1)).ifPresent(offset -> c.ack(r.client(), offset));
                    return;
                }
                case "getack" -> {
                    c.getAck(r.client());
                    return;
                }
                default -> throw new CommandError("ERR Unrecognized REPLCONF option: " + r.text(i));
            }
        }
        r.reply().simple("OK");
    }

    /** PSYNC replid offset: the reply is the sync itself, sent after the round (see {@link ReplicationControl#requestSync}). */
    private static void psync(Request r) {
        if (r.argc() != 3) {
            throw CommandError.arity("psync");
        }
        ReplicationControl c = control(r);
        if (c.isMaster(r.client())) {
            return; // Redis ignores PSYNC from its own master
        }
        long offset = Numbers.parseLong(r.arg(2)).orElse(-1L);
        c.requestSync(r.client(), r.text(1), offset, true);
    }

    private static void sync(Request r) {
        ReplicationControl c = control(r);
        if (c.isMaster(r.client())) {
            return;
        }
        c.requestSync(r.client(), "?", -1, false);
    }

    /** WAIT numreplicas timeout. */
    private static void waitCommand(Request r) {
        ReplicationControl c = control(r);
        if (c.isReplica()) {
            throw new CommandError("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0"
                    + " if a replica is configured to be writable (which is not the default) writes to replicas are just"
                    + " local and are not propagated.");
        }
        long replicas = r.longArg(1);
        long timeout = Numbers.parseLong(r.arg(2)).orElseThrow(
                () -> new CommandError("ERR timeout is not an integer or out of range"));
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        long acked = c.waitForReplicas(r.client(), r.client().inMulti() || r.client().runningExec() ? 0 : replicas, timeout);
        if (acked >= 0) {
            r.reply().integer(acked);
        }
    }

    /** REPLICAOF host port | NO ONE (and SLAVEOF, the same). */
    private static void replicaOf(Request r) {
        ReplicationControl c = control(r);
        if (r.keyword(1).equals("NO") && r.keyword(2).equals("ONE")) {
            c.promote();
            r.reply().simple("OK");
            return;
        }
        long port = Numbers.parseLong(r.arg(2)).orElseThrow(
                () -> new CommandError("ERR value is not an integer or out of range"));
        if (port < 0 || port > 65535) {
            throw new CommandError("ERR Invalid master port");
        }
        r.reply().simple(c.replicaOf(r.text(1), (int) port));
    }
}
