package io.jpmem.redis.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds replies in RESP2, or RESP3 after {@code HELLO 3} (maps, sets, doubles, booleans and a
 * distinct null). Not thread-safe: one per connection; {@link #drain()} takes what was written.
 */
public final class RespWriter {

    /** An empty reply buffer. */
    public RespWriter() {
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private int protocol = 2;

    /** {@return 2 or 3} */
    public int protocol() {
        return protocol;
    }

    /** Switches to RESP2 or RESP3 for the following replies. */
    public void setProtocol(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("RESP" + version);
        }
        protocol = version;
    }

    /** {@code +text}: a status such as OK. */
    public RespWriter simple(String text) {
        return line('+', text);
    }

    /**
     * An error reply. {@code message} starts with its code, as Redis's are: {@code "ERR syntax error"},
     * {@code "WRONGTYPE Operation against a key holding the wrong kind of value"}; line breaks in it
     * become spaces, so a reply is always one line.
     */
    public RespWriter error(String message) {
        return line('-', message.replace('\r', ' ').replace('\n', ' '));
    }

    /** {@code :n} */
    public RespWriter integer(long value) {
        return line(':', Long.toString(value));
    }

    /** {@code $len\r\nbytes\r\n} */
    public RespWriter bulk(byte[] value) {
        if (value == null) {
            return nullBulk();
        }
        line('$', Integer.toString(value.length));
        out.writeBytes(value);
        out.writeBytes(CRLF);
        return this;
    }

    /** A bulk string of UTF-8 text. */
    public RespWriter bulk(String value) {
        return value == null ? nullBulk() : bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code $-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nullBulk() {
        return protocol == 3 ? raw("_\r\n") : raw("$-1\r\n");
    }

    /** {@code *-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nullArray() {
        return protocol == 3 ? raw("_\r\n") : raw("*-1\r\n");
    }

    /** {@code *n}: an array header; the caller writes the {@code n} elements. */
    public RespWriter array(int length) {
        return line('*', Integer.toString(length));
    }

    /** {@code >n} in RESP3 (an out-of-band push: a published message, a subscription's confirmation), an array in RESP2. */
    public RespWriter push(int length) {
        return line(protocol == 3 ? '>' : '*', Integer.toString(length));
    }

    /** {@code %n} in RESP3 (n pairs follow), or an array of {@code 2n} in RESP2. */
    public RespWriter map(int pairs) {
        return protocol == 3 ? line('%', Integer.toString(pairs)) : array(2 * pairs);
    }

    /** {@code ~n} in RESP3, an array in RESP2. */
    public RespWriter set(int length) {
        return protocol == 3 ? line('~', Integer.toString(length)) : array(length);
    }

    /** {@code ,d} in RESP3, a bulk string in RESP2 (formatted as Redis formats scores). */
    public RespWriter dbl(double value) {
        String text = formatDouble(value);
        return protocol == 3 ? line(',', text) : bulk(text);
    }

    /** A double already formatted: {@code ,text} in RESP3, a bulk string in RESP2. */
    public RespWriter dbl(String text) {
        return protocol == 3 ? line(',', text) : bulk(text);
    }

    /** {@code (digits} in RESP3 (a big number), a bulk string in RESP2. */
    public RespWriter bigNumber(String digits) {
        return protocol == 3 ? line('(', digits) : bulk(digits);
    }

    /** {@code #t}/{@code #f} in RESP3, {@code :1}/{@code :0} in RESP2. */
    public RespWriter bool(boolean value) {
        return protocol == 3 ? raw(value ? "#t\r\n" : "#f\r\n") : integer(value ? 1 : 0);
    }

    /** Redis's double formatting: integral values without a fraction, {@code inf}, {@code -inf}, else shortest round-trip digits. */
    public static String formatDouble(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e17) {
            return Long.toString((long) value);
        }
        String text = Double.toString(value);
        if (text.contains("E")) {
            text = new java.math.BigDecimal(value).round(new java.math.MathContext(17)).stripTrailingZeros().toPlainString();
        }
        return text;
    }

    /** {@return whether nothing is waiting} */
    public boolean isEmpty() {
        return out.size() == 0;
    }

    /** {@return the bytes written so far, emptying the writer} */
    public byte[] drain() {
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    private RespWriter line(char type, String text) {
        out.write(type);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(CRLF);
        return this;
    }

    private RespWriter raw(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        return this;
    }
}
