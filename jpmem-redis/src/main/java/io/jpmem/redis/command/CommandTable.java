package io.jpmem.redis.command;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The commands the server knows, by lower-case name. */
public final class CommandTable {

    private final Map<String, CommandSpec> byName = new TreeMap<>();

    /** Adds a command. @throws IllegalStateException if the name is taken */
    public CommandTable add(CommandSpec spec) {
        if (byName.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("command " + spec.name() + " registered twice");
        }
        return this;
    }

    public Optional<CommandSpec> find(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    public Collection<CommandSpec> all() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }
}
