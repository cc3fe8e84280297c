package io.jpmem.redis.protocol;

/**
 * Malformed RESP from a client. The server replies {@code -ERR <message>} and closes that client's
 * connection, as Redis does; the server and the other clients go on.
 */
public final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message Redis's wording, e.g. {@code "Protocol error: invalid bulk length"} */
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
