package io.jpmem.redis.rdb;

/**
 * An RDB file or DUMP payload that cannot be read: truncated, corrupt (checksum or structure), of
 * a newer version, not an RDB file at all, or holding something this server has no type for
 * (modules, streams, functions). The message says which, and where.
 */
public final class RdbException extends Exception {

    private static final long serialVersionUID = 1L;

    public RdbException(String message) {
        super(message);
    }

    public RdbException(String message, Throwable cause) {
        super(message, cause);
    }
}
