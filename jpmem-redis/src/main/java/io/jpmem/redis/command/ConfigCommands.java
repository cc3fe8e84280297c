package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.ADMIN;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CONFIG GET (several glob patterns), SET (one or several parameters, all checked before any is
 * applied, as Redis 7.0), RESETSTAT, REWRITE and HELP, over the server's {@link ConfigRegistry}.
 */
public final class ConfigCommands {

    private ConfigCommands() {}

    public static void register(CommandTable table) {
        table.add(new CommandSpec("config", -2, EnumSet.of(ADMIN), 0, 0, 0, ConfigCommands::config));
    }

    private static CommandError arity(String sub) {
        return new CommandError("ERR wrong number of arguments for 'config|" + sub + "' command");
    }

    private static void config(Request r) {
        String sub = r.keyword(1);
        switch (sub) {
            case "GET" -> {
                if (r.argc() < 3) {
                    throw arity("get");
                }
                Map<String, String> found = new LinkedHashMap<>();
                for (int i = 2; i < r.argc(); i++) {
                    for (String[] pair : r.server().config(r.text(i))) {
                        found.putIfAbsent(pair[0], pair[1]);
                    }
                }
                r.reply().map(found.size());
                found.forEach((k, v) -> r.reply().bulk(k).bulk(v));
            }
            case "SET" -> set(r);
            case "RESETSTAT" -> {
                if (r.argc() != 2) {
                    throw arity("resetstat");
                }
                r.server().resetStatistics();
                r.reply().simple("OK");
            }
            case "REWRITE" -> {
                if (r.argc() != 2) {
                    throw arity("rewrite");
                }
                r.server().rewriteConfiguration();
                r.reply().simple("OK");
            }
            case "HELP" -> {
                if (r.argc() != 2) {
                    throw arity("help");
                }
                List<String> lines = List.of(
                        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "GET <pattern>",
                        "    Return parameters matching the glob-like <pattern> and their values.",
                        "SET <directive> <value>",
                        "    Set the configuration <directive> to <value>.",
                        "RESETSTAT",
                        "    Reset statistics reported by the INFO command.",
                        "REWRITE",
                        "    Rewrite the configuration file.",
                        "HELP",
                        "    Prints this help.");
                r.reply().array(lines.size());
                lines.forEach(r.reply()::simple);
            }
            default -> throw new CommandError("ERR unknown subcommand '" + r.text(1) + "'. Try CONFIG HELP.");
        }
    }

    private static CommandError failed(String name, String why) {
        return new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why);
    }

    /** CONFIG SET: every name, then every value, is checked before the first change (Redis 7.0's order). */
    private static void set(Request r) {
        if (r.argc() < 4) {
            throw arity("set");
        }
        if (r.argc() % 2 != 0) {
            throw CommandError.syntax();
        }
        ConfigRegistry registry = r.server().configuration();
        List<ConfigParameter> parameters = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 2; i < r.argc(); i += 2) {
            String given = r.text(i);
            ConfigParameter p = registry.find(given.toLowerCase(Locale.ROOT)).orElseThrow(() -> new CommandError(
                    "ERR Unknown option or number of arguments for CONFIG SET - '" + given + "'"));
            if (!p.mutable()) {
                throw failed(p.name(), p.fixedBecause() == null ? "can't set immutable config"
                        : "can't set immutable config: " + p.fixedBecause());
            }
            if (!seen.add(p.name())) {
                throw failed(p.name(), "duplicate parameter");
            }
            parameters.add(p);
        }
        List<Runnable> changes = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            ConfigParameter p = parameters.get(i);
            try {
                changes.add(p.setter().prepare(r.text(3 + 2 * i)));
            } catch (CommandError e) {
                throw failed(p.name(), e.getMessage());
            }
        }
        changes.forEach(Runnable::run);
        r.reply().simple("OK");
    }
}
