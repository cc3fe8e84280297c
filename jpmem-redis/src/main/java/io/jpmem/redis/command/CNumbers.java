package io.jpmem.redis.command;

import java.math.BigDecimal;
import java.util.OptionalDouble;

/**
 * C's {@code strtod} as Redis uses it where it takes a whole string as a double (SORT's scores):
 * leading white space, a sign, a decimal or hexadecimal number (with an optional exponent) or
 * {@code inf}/{@code infinity}; the string ends at its first NUL byte. The number is refused when
 * anything follows it, when it is NaN, and when it is out of range (strtod's {@code ERANGE}: too
 * large, or a non-zero number that rounds to zero or to a subnormal). An empty string is 0, as it
 * is to strtod.
 */
final class CNumbers {

    private CNumbers() {}

    static OptionalDouble strtod(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        if (n == 0) {
            return OptionalDouble.of(0);
        }
        String text = new String(bytes, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        String body = text.substring(i);
        boolean negative = body.startsWith("-");
        String unsigned = body.startsWith("-") || body.startsWith("+") ? body.substring(1) : body;
        String lower = unsigned.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return OptionalDouble.of(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        double value;
        boolean nonZeroDigits;
        if (lower.matches("0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(p[+-]?[0-9]+)?")) {
            String hex = lower.contains("p") ? lower : lower + "p0";
            value = Double.parseDouble(hex);
            nonZeroDigits = hex.substring(2, hex.indexOf('p')).chars().anyMatch(c -> c != '0' && c != '.');
        } else if (lower.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
            value = lower.length() > 400 ? new BigDecimal(lower).doubleValue() : Double.parseDouble(lower);
            int e = lower.indexOf('e');
            nonZeroDigits = (e < 0 ? lower : lower.substring(0, e)).chars().anyMatch(c -> c >= '1' && c <= '9');
        } else {
            return OptionalDouble.empty();
        }
        if (Double.isInfinite(value) || nonZeroDigits && Math.abs(value) < Double.MIN_NORMAL) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(negative ? -value : value);
    }
}
