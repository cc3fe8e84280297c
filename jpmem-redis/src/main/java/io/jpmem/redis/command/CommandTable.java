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

    /**
     * Adds {@code flag} to the command {@code name} if it is registered (a family that restricts
     * others, such as scripting's {@link CommandSpec.Flag#NO_SCRIPT}, says so once).
     */
    public void addFlag(String name, CommandSpec.Flag flag) {
        CommandSpec old = index.get(name);
        if (old == null) {
            return;
        }
        java.util.EnumSet<CommandSpec.Flag> flags = java.util.EnumSet.of(flag);
        flags.addAll(old.flags());
        CommandSpec spec = new CommandSpec(old.name(), old.arity(), flags, old.firstKey(), old.lastKey(), old.step(), old.handler());
        byName.put(name, spec);
        index.put(name, spec);
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
