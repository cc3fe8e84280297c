package io.jpmem.redis.command;

import java.util.List;

/**
 * A command as received, with its name looked up once: every later step (the write check of the
 * round, the dispatch, the MULTI queue, EXEC, the log of committed writes) uses {@link #spec()}
 * instead of parsing the name again.
 *
 * @param spec the command, or null if the table has no command of that name
 * @param args the arguments, the name included
 */
public record ParsedCommand(CommandSpec spec, List<byte[]> args) {

    /** {@return {@code args} with its command looked up in {@code table}} */
    public static ParsedCommand of(CommandTable table, List<byte[]> args) {
        return new ParsedCommand(table.find(args.get(0)).orElse(null), args);
    }

    /** {@return whether this is a known command carrying {@code flag}} */
    public boolean is(CommandSpec.Flag flag) {
        return spec != null && spec.is(flag);
    }

    /** {@return the command's lower-case name, or the name as sent if it is unknown} */
    public String name() {
        return spec != null ? spec.name() : new String(args.get(0), java.nio.charset.StandardCharsets.UTF_8);
    }
}
