/** The power-failure explorer: crashes scenarios at every store and fence of a simulated domain and checks recovery. */
module io.jpmem.explorer {
    requires transitive io.jpmem.heap;

    exports io.jpmem.explorer;
}
