package io.jpmem.bench;

import io.jpmem.objects.Persistent;

/** A persistent cell for the enhanced-access benchmarks (enhanced at build time). */
@Persistent
public class Cell {
    long value;
    Cell next;

    public Cell(long value, Cell next) {
        this.value = value;
        this.next = next;
    }
}
