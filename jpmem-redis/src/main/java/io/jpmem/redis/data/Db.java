package io.jpmem.redis.data;

import io.jpmem.collections.PHashMap;
import io.jpmem.objects.Persistent;

/**
 * One Redis database, persistent: the key space and the keys' expiry times (Unix milliseconds).
 * A key's value is a {@code byte[]} copy (a string), a {@code PDeque} (list), a {@code PHashMap}
 * (hash), a {@code PHashSet} (set) or a {@link ZSet}.
 */
@Persistent
public class Db {
    PHashMap<byte[], Object> dict;
    PHashMap<byte[], Long> expires;

    Db() {
        dict = new PHashMap<>();
        expires = new PHashMap<>();
    }
}
