package io.jpmem.redis.command;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One configuration parameter as CONFIG GET/SET and the config file see it: its Redis name, how to
 * read its current value, and either how to change it or why it cannot change while the server runs.
 *
 * @param name the lower-case name, as Redis spells it ({@code maxclients}, {@code dir}, ...)
 * @param value its current value, rendered as CONFIG GET renders it
 * @param setter how CONFIG SET changes it, or null if it cannot change at run time
 * @param fixedBecause why CONFIG SET refuses it (shown in the error), when {@code setter} is null;
 *     null too for a parameter Redis itself cannot change at run time (its plain error then)
 */
public record ConfigParameter(String name, Supplier<String> value, Setter setter, String fixedBecause) {

    /**
     * Checks a new value and prepares its application. CONFIG SET of several parameters first
     * prepares all of them, so that one bad value changes nothing, then applies them in order.
     */
    @FunctionalInterface
    public interface Setter {
        /**
         * {@return the change to apply} @throws CommandError if {@code value} is invalid; its
         * message is the text Redis gives after {@code argument(s) must be ...} style errors
         * (for example {@code "argument must be between 1 and 16 inclusive"})
         */
        Runnable prepare(String value);
    }

    public ConfigParameter {
        Objects.requireNonNull(name);
        Objects.requireNonNull(value);
        if (setter != null && fixedBecause != null) {
            throw new IllegalArgumentException("a parameter has a setter or a reason it is fixed, not both: " + name);
        }
    }

    /** {@return a parameter CONFIG SET may change} */
    public static ConfigParameter mutable(String name, Supplier<String> value, Setter setter) {
        return new ConfigParameter(name, value, Objects.requireNonNull(setter), null);
    }

    /** {@return a parameter fixed while the server runs, for {@code because} (where Redis could change it)} */
    public static ConfigParameter fixed(String name, Supplier<String> value, String because) {
        return new ConfigParameter(name, value, null, Objects.requireNonNull(because));
    }

    /** {@return a parameter that is immutable at run time, as in Redis} */
    public static ConfigParameter immutable(String name, Supplier<String> value) {
        return new ConfigParameter(name, value, null, null);
    }

    /** {@return whether CONFIG SET may change it} */
    public boolean mutable() {
        return setter != null;
    }
}
