/** jpmem-redis: a Redis-compatible server whose dataset lives in a persistent heap. */
module io.jpmem.redis {
    // the exported packages' signatures name the heap, its objects and collections (Dataset, @Persistent)
    requires transitive io.jpmem.heap;
    requires transitive io.jpmem.objects;
    requires transitive io.jpmem.collections;
    // LuaJ (EVAL's engine) cannot be a module (its jar has classes in the unnamed package): it is read
    // from the class path (javac: --add-reads io.jpmem.redis=ALL-UNNAMED). The server runs on the
    // class path (bin/jpmem-redis, the jar), where it is there; the jlink runtime image has no
    // scripting (EVAL answers an error there).

    exports io.jpmem.redis.protocol;
    exports io.jpmem.redis.command;
    exports io.jpmem.redis.data;
    exports io.jpmem.redis.rdb;
    opens io.jpmem.redis.data to io.jpmem.objects; // package-private @Persistent fields and the handle constructors
}
