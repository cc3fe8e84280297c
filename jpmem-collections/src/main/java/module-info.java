/** Persistent collections: strings, byte arrays, lists, deques, hash and sorted maps, sets. */
module io.jpmem.collections {
    requires transitive io.jpmem.objects;

    exports io.jpmem.collections;
}
