package io.jpmem.redis.command;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The commands the server knows, by lower-case name. */
public final class CommandTable {

    /** An empty table; the command families register into it. */
    public CommandTable() {
    }

    /** For listings (COMMAND, docs), in name order. */
    private final Map<String, CommandSpec> byName = new TreeMap<>();
    /** For the lookup of every command run: a hash lookup, not a walk of string comparisons. */
    private final Map<String, CommandSpec> index = new HashMap<>();

    /** Adds a command. @throws IllegalStateException if the name is taken */
    public CommandTable add(CommandSpec spec) {
        if (byName.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("command " + spec.name() + " registered twice");
        }
        index.put(spec.name(), spec);
        return this;
    }

    /** {@return the command named {@code name}, in any case} */
    public Optional<CommandSpec> find(String name) {
        CommandSpec spec = index.get(name); // clients send lower or upper case: try as given first
        return Optional.ofNullable(spec != null ? spec : index.get(name.toLowerCase(Locale.ROOT)));
    }

    /** {@return the command named by the bytes {@code name} (as a client sends it), in any case} */
    public Optional<CommandSpec> find(byte[] name) {
        return find(new String(name, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@return every command, in name order} */
    public Collection<CommandSpec> all() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }
}
