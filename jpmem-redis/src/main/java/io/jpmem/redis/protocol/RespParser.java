package io.jpmem.redis.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the commands a client sends, incrementally: RESP multibulk requests ({@code *<n>} then
 * {@code n} bulk strings) and inline commands (a line of space-separated, optionally quoted,
 * arguments), with Redis's limits and error messages. Not thread-safe: one per connection.
 *
 * <p>Feed bytes as they arrive with {@link #feed}; {@link #next()} returns each complete command
 * (its arguments as byte arrays) or null when more bytes are needed. Memory held is bounded by the
 * limits: a bulk string is buffered only up to its declared length, which is at most
 * {@code maxBulkLength}.
 */
public final class RespParser {

    /** Redis's {@code PROTO_INLINE_MAX_SIZE}: the longest inline request or length line. */
    public static final int MAX_INLINE = 64 * 1024;
    /** Redis's default {@code proto-max-bulk-len}. */
    public static final long DEFAULT_MAX_BULK_LENGTH = 512L * 1024 * 1024;
    /** The most arguments in one multibulk request (Redis accepts up to INT_MAX; we bound memory). */
    public static final int MAX_MULTIBULK = 1024 * 1024;
    /** Limits for a client that has not authenticated while a password is required (Redis 7). */
    static final int UNAUTHENTICATED_MULTIBULK = 10;
    static final int UNAUTHENTICATED_BULK = 16384;

    private final long maxBulkLength;
    private byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    // multibulk state
    private int argumentsLeft = -1; // -1: not inside a multibulk request
    private long bulkLength = -1; // -1: expecting a $ line
    private List<byte[]> arguments;
    private boolean authenticated = true;

    /** @param maxBulkLength the longest bulk string accepted ({@code proto-max-bulk-len}) */
    public RespParser(long maxBulkLength) {
        this.maxBulkLength = maxBulkLength;
    }

    /** Sets whether the client has authenticated; when not, requests are held to Redis's tighter limits. */
    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** Appends bytes received from the client. */
    public void feed(byte[] bytes, int offset, int length) {
        if (buffer.length - end < length) {
            int live = end - start;
            byte[] target = live + length <= buffer.length ? buffer : new byte[Math.max(buffer.length * 2, live + length)];
            System.arraycopy(buffer, start, target, 0, live); // compact (or move into the bigger buffer)
            buffer = target;
            start = 0;
            end = live;
        }
        System.arraycopy(bytes, offset, buffer, end, length);
        end += length;
    }

    /** {@return how many received bytes are not yet consumed} */
    public int buffered() {
        return end - start;
    }

    /**
     * {@return the next complete command, or null if more bytes are needed} Empty requests (an
     * empty line, {@code *0}) are skipped.
     *
     * @throws ProtocolException for malformed input; the connection should then be closed
     */
    public List<byte[]> next() throws ProtocolException {
        while (true) {
            if (argumentsLeft < 0) {
                if (start == end) {
                    return null;
                }
                if (buffer[start] == '*') {
                    int lineEnd = lineEnd("Protocol error: too big mbulk count string");
                    if (lineEnd < 0) {
                        return null;
                    }
                    long count = parseLong(start + 1, lineEnd - 1);
                    if (count == Long.MIN_VALUE || count > MAX_MULTIBULK) {
                        throw new ProtocolException("Protocol error: invalid multibulk length");
                    }
                    if (!authenticated && count > UNAUTHENTICATED_MULTIBULK) {
                        throw new ProtocolException("Protocol error: unauthenticated multibulk length");
                    }
                    start = lineEnd + 1;
                    if (count <= 0) {
                        continue;
                    }
                    argumentsLeft = (int) count;
                    arguments = new ArrayList<>((int) Math.min(count, 1024));
                } else {
                    List<byte[]> inline = inline();
                    if (inline == null) {
                        return null;
                    }
                    if (!inline.isEmpty()) {
                        return inline;
                    }
                    continue;
                }
            }
            while (argumentsLeft > 0) {
                if (bulkLength < 0) {
                    if (start == end) {
                        return null;
                    }
                    if (buffer[start] != '$') {
                        throw new ProtocolException("Protocol error: expected '$', got '" + (char) (buffer[start] & 0xff) + "'");
                    }
                    int lineEnd = lineEnd("Protocol error: too big bulk count string");
                    if (lineEnd < 0) {
                        return null;
                    }
                    long length = parseLong(start + 1, lineEnd - 1);
                    if (length == Long.MIN_VALUE || length < 0 || length > maxBulkLength) {
                        throw new ProtocolException("Protocol error: invalid bulk length");
                    }
                    if (!authenticated && length > UNAUTHENTICATED_BULK) {
                        throw new ProtocolException("Protocol error: unauthenticated bulk length");
                    }
                    start = lineEnd + 1;
                    bulkLength = length;
                }
                if (end - start < bulkLength + 2) {
                    ensureCapacity(bulkLength + 2);
                    return null;
                }
                int from = start;
                arguments.add(Arrays.copyOfRange(buffer, from, from + (int) bulkLength));
                start = from + (int) bulkLength + 2; // the CRLF after the data is not checked, as in Redis
                bulkLength = -1;
                argumentsLeft--;
            }
            List<byte[]> command = arguments;
            arguments = null;
            argumentsLeft = -1;
            return command;
        }
    }

    /** Makes room for a bulk string of {@code needed} bytes (its CRLF included) after {@code start}. */
    private void ensureCapacity(long needed) {
        if (buffer.length - start < needed) {
            int live = end - start;
            byte[] bigger = new byte[(int) Math.max(needed, live)];
            System.arraycopy(buffer, start, bigger, 0, live);
            buffer = bigger;
            start = 0;
            end = live;
        }
    }

    /** {@return the index of the LF ending the line at {@code start} (after a CR), or -1 if not yet received} */
    private int lineEnd(String tooBig) throws ProtocolException {
        for (int i = start; i < end; i++) {
            if (buffer[i] == '\n') {
                if (i == start || buffer[i - 1] != '\r') {
                    continue; // a bare LF inside a length line: keep looking, as Redis looks for CRLF
                }
                return i;
            }
        }
        if (end - start > MAX_INLINE) {
            throw new ProtocolException(tooBig);
        }
        return -1;
    }

    /** Parses the decimal integer in [from, to) (to excludes the CR); Long.MIN_VALUE if it is not one. */
    private long parseLong(int from, int to) {
        if (from >= to || to - from > 19) {
            return Long.MIN_VALUE;
        }
        boolean negative = buffer[from] == '-';
        int i = negative ? from + 1 : from;
        if (i == to) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = buffer[i] - '0';
            if (digit < 0 || digit > 9) {
                return Long.MIN_VALUE;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    /** An inline command: one line, arguments split as Redis's sdssplitargs does. */
    private List<byte[]> inline() throws ProtocolException {
        int newline = -1;
        for (int i = start; i < end; i++) {
            if (buffer[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            if (end - start > MAX_INLINE) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return null;
        }
        int lineEnd = newline > start && buffer[newline - 1] == '\r' ? newline - 1 : newline;
        String line = new String(buffer, start, lineEnd - start, StandardCharsets.ISO_8859_1);
        start = newline + 1;
        List<byte[]> args = InlineSplitter.split(line);
        if (args == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        return args;
    }
}
