package io.jpmem.redis.replication;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Replication ids: 40 random hexadecimal characters, as Redis makes them. */
public final class ReplicationIds {

    /** What INFO shows before the server has a replication history (no replica ever attached). */
    static final String NONE_YET;

    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        NONE_YET = fresh();
    }

    private ReplicationIds() {}

    /** {@return a new random id} */
    public static String fresh() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
