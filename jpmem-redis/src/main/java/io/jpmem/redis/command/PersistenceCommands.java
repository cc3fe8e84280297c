package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.ADMIN;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.NO_MULTI;

import io.jpmem.redis.rdb.RdbSaves;
import java.util.EnumSet;

/**
 * SAVE, BGSAVE [SCHEDULE] and LASTSAVE: the RDB file {@code dir/dbfilename} (see {@link RdbSaves}).
 * The heap is the server's own persistence; the file is for backups and for moving data to
 * redis-server and anything else that reads RDB files.
 */
public final class PersistenceCommands {

    private PersistenceCommands() {}

    public static void register(CommandTable table) {
        table.add(spec("save", 1, EnumSet.of(ADMIN, NO_MULTI), 0, 0, 0, PersistenceCommands::save))
                .add(spec("bgsave", -1, EnumSet.of(ADMIN), 0, 0, 0, PersistenceCommands::bgsave))
                .add(spec("lastsave", 1, EnumSet.of(FAST), 0, 0, 0, r -> r.reply().integer(r.server().saves().lastSave())));
    }

    private static CommandError inProgress() {
        return new CommandError("ERR Background save already in progress");
    }

    /** SAVE: writes the file now, blocking every client until it is on disk. */
    private static void save(Request r) {
        RdbSaves saves = r.server().saves();
        if (saves.inProgress()) {
            throw inProgress();
        }
        if (saves.save() != null) {
            throw new CommandError("ERR");
        }
        r.reply().simple("OK");
    }

    /** BGSAVE [SCHEDULE]: starts a save that goes on while clients are served (there is no other kind of save to wait for). */
    private static void bgsave(Request r) {
        if (r.argc() > 2 || (r.argc() == 2 && !r.keyword(1).equals("SCHEDULE"))) {
            throw CommandError.syntax();
        }
        RdbSaves saves = r.server().saves();
        if (!saves.startBackground()) { // as Redis: SCHEDULE only waits for other kinds of child process
            throw inProgress();
        }
        r.onRollback(saves::abandon); // a replay of the round starts it again, at the same point
        r.reply().simple("Background saving started");
    }
}
