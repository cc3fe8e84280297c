package io.jpmem.examples;

import io.jpmem.objects.Persistent;

/** A list entry: go-pmem's seed program, in Java. */
@Persistent
public class Entry {
    long id;
    Entry next;

    public Entry(long id) {
        this.id = id;
    }
}
