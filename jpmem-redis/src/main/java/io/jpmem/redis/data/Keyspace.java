package io.jpmem.redis.data;

import io.jpmem.objects.Persistent;
import io.jpmem.objects.PersistentRefArray;

/** The server's root object: its databases. */
@Persistent
public class Keyspace {
    PersistentRefArray<Db> dbs;

    Keyspace(int databases) {
        dbs = new PersistentRefArray<>(databases);
        for (int i = 0; i < databases; i++) {
            dbs.set(i, new Db());
        }
    }
}
