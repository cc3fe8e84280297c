package io.jpmem.examples;

import io.jpmem.objects.Persistent;

/** The root object: head, tail and the number of entries. */
@Persistent
public class ListRoot {
    Entry head;
    Entry tail;
    long count;
}
