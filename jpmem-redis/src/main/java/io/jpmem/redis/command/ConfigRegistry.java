package io.jpmem.redis.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server's configuration parameters, by name: the server registers its own, and a command
 * family registers the parameters it reads (a persistence family its {@code dbfilename}, ...), so
 * CONFIG GET/SET and the config file know every parameter without a central list. Event-loop
 * thread only (and the start, before it runs).
 */
public final class ConfigRegistry {

    /** An empty registry; the server registers its parameters. */
    public ConfigRegistry() {
    }

    private final Map<String, ConfigParameter> parameters = new LinkedHashMap<>();

    /** Adds {@code parameter}. @throws IllegalStateException if its name is taken */
    public ConfigRegistry register(ConfigParameter parameter) {
        if (parameters.putIfAbsent(parameter.name(), parameter) != null) {
            throw new IllegalStateException("configuration parameter " + parameter.name() + " registered twice");
        }
        return this;
    }

    /** {@return the parameter named {@code name}, in any case} */
    public Optional<ConfigParameter> find(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    /** {@return the parameters whose name matches the glob {@code pattern} (case-insensitive), in registration order} */
    public List<ConfigParameter> matching(String pattern) {
        byte[] glob = pattern.getBytes(StandardCharsets.UTF_8);
        List<ConfigParameter> found = new ArrayList<>();
        for (ConfigParameter p : parameters.values()) {
            if (Glob.matches(glob, p.name().getBytes(StandardCharsets.UTF_8), true)) {
                found.add(p);
            }
        }
        return found;
    }

    /** {@return every parameter, in registration order} */
    public Collection<ConfigParameter> all() {
        return parameters.values();
    }
}
