package io.jpmem.collections;

import java.util.Arrays;

/**
 * Composite {@code byte[]} keys for a {@link PSortedMap} whose unsigned byte order is the order a
 * Redis sorted set needs: by score ({@link Double#compare} order), then by member bytes. A sorted set
 * is then a {@code PSortedMap<byte[], V>} keyed by {@link #scoreMember} (rank queries give ZRANK and
 * ZRANGE; {@link PSortedMap#ceilingEntry} of {@code scoreMember(min, new byte[0])} starts
 * ZRANGEBYSCORE) plus a member-to-score hash map.
 */
public final class SortedKeys {

    private SortedKeys() {}

    /** {@return 8 bytes whose unsigned order is {@link Double#compare} order of {@code score}, then {@code member}} */
    public static byte[] scoreMember(double score, byte[] member) {
        byte[] key = Arrays.copyOf(scorePrefix(score), 8 + member.length);
        System.arraycopy(member, 0, key, 8, member.length);
        return key;
    }

    /** {@return the 8-byte prefix of every key of {@code score}: the smallest key with that score} */
    public static byte[] scorePrefix(double score) {
        long bits = SortedKeyKind.sortableBits(score) ^ Long.MIN_VALUE; // signed order to unsigned order
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (bits >>> (56 - 8 * i));
        }
        return out;
    }

    /** {@return the score of a key made by {@link #scoreMember}} @throws IllegalArgumentException if shorter than 8 bytes */
    public static double score(byte[] key) {
        if (key.length < 8) {
            throw new IllegalArgumentException("a score-member key has at least 8 bytes, not " + key.length);
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = bits << 8 | (key[i] & 0xFF);
        }
        return SortedKeyKind.fromSortableBits(bits ^ Long.MIN_VALUE);
    }

    /** {@return the member of a key made by {@link #scoreMember}} */
    public static byte[] member(byte[] key) {
        return Arrays.copyOfRange(key, 8, key.length);
    }
}
