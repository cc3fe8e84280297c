package io.jpmem.redis.command;

/** Parses CONFIG SET values as Redis does, with its error texts (which CONFIG SET prefixes with the parameter). */
public final class ConfigValues {

    private ConfigValues() {}

    /** {@return {@code value} as an integer in [min, max]} @throws CommandError with Redis's text if it is not one */
    public static long integer(String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new CommandError("argument couldn't be parsed into an integer");
        }
        if (n < min || n > max) {
            throw new CommandError("argument must be between " + min + " and " + max + " inclusive");
        }
        return n;
    }
}
