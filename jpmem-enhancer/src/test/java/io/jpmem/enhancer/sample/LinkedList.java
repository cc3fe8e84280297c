package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** The seed program's root: head, tail and count. */
@Persistent
public class LinkedList {
    Node head;
    Node tail;
    long count;

    public void add(Node node) {
        if (head == null) {
            head = node;
        } else {
            tail.next = node; // a store into another persistent class's field
        }
        tail = node;
        count++;
    }
}
