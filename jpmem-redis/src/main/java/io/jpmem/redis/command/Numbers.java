package io.jpmem.redis.command;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/** Redis's number parsing: strict decimal 64-bit integers, and doubles including inf/-inf. */
public final class Numbers {

    private Numbers() {}

    /** {@return the integer {@code bytes} spell, as Redis's string2ll accepts it (no spaces, no '+', no leading zeros)} */
    public static OptionalLong parseLong(byte[] bytes) {
        int n = bytes.length;
        if (n == 0 || n > 20) {
            return OptionalLong.empty();
        }
        if (n == 1 && bytes[0] == '0') {
            return OptionalLong.of(0);
        }
        int i = 0;
        boolean negative = bytes[0] == '-';
        if (negative) {
            i++;
        }
        if (i >= n || bytes[i] < '1' || bytes[i] > '9') {
            return OptionalLong.empty();
        }
        long value = 0;
        for (; i < n; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return OptionalLong.empty();
            }
            // accumulate negatively to reach Long.MIN_VALUE
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return OptionalLong.empty();
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return OptionalLong.empty();
            }
            value = -value;
        }
        return OptionalLong.of(value);
    }

    /**
     * {@return the double {@code bytes} spell, as Redis's getDoubleFromObject accepts it: as
     * {@link #parseDouble}, but a finite number too large for a double, or one so small that it
     * rounds to zero, is refused (strtod's ERANGE)} ZADD and ZINCRBY scores, ZUNIONSTORE weights.
     */
    public static Optional<Double> parseDoubleInRange(byte[] bytes) {
        return parseDouble(bytes).filter(value -> {
            String text = new String(bytes, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            if (Double.isInfinite(value)) {
                return text.contains("inf");
            }
            int exponent = text.indexOf('e');
            String mantissa = exponent < 0 ? text : text.substring(0, exponent);
            return value != 0 || mantissa.chars().noneMatch(c -> c >= '1' && c <= '9');
        });
    }

    /** {@return the double {@code bytes} spell (also inf, +inf, -inf); NaN is refused} */
    public static Optional<Double> parseDouble(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (text.isEmpty() || Character.isWhitespace(text.charAt(0)) || Character.isWhitespace(text.charAt(text.length() - 1))) {
            return Optional.empty();
        }
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Optional.of(Double.POSITIVE_INFINITY);
            }
            case "-inf", "-infinity" -> {
                return Optional.of(Double.NEGATIVE_INFINITY);
            }
            default -> { }
        }
        try {
            double value = Double.parseDouble(text);
            if (Double.isNaN(value) || text.endsWith("d") || text.endsWith("D") || text.endsWith("f") || text.endsWith("F")) {
                return Optional.empty();
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
