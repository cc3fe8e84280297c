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

    /**
     * {@return {@code value} as a memory amount in [min, max]: a number with an optional unit (b,
     * k, kb, m, mb, g, gb; k is 1000, kb 1024, as in Redis's config)} @throws CommandError otherwise
     */
    public static long memory(String value, long min, long max) {
        String v = value.toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"},
                {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (v.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length());
                break;
            }
        }
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(v), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandError("argument must be a memory value");
        }
        if (n < min || n > max) {
            throw new CommandError("argument must be between " + min + " and " + max + " inclusive");
        }
        return n;
    }
}
