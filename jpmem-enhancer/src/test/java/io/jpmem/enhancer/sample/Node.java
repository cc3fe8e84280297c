package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** The seed program's entry: an id and a link. */
@Persistent
public class Node {
    long id;
    Node next;
    int hits = 1;          // an initializer: a store into a block new in this transaction
    boolean flag;
    double weight;
    char letter;
    short small;
    byte tiny;
    float ratio;
    String name;
    Long boxed;
    transient int notPersisted = 7;
    static int created;

    public Node(long id) {
        this.id = id;
        created++;
    }

    public long id() {
        return id;
    }

    public Node next() {
        return next;
    }
}
