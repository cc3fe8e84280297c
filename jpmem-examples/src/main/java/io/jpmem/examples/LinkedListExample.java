package io.jpmem.examples;

import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * go-pmem's seed program in Java: a root object holds head and tail; {@link #addNode} allocates an
 * entry with a random id and links it, inside a transaction, with no logging call written by hand
 * (the enhancer adds them). Run with the enhancer agent: {@code bin/jpmem-example-linkedlist HEAP N}.
 */
public final class LinkedListExample {

    private LinkedListExample() {}

    static void addNode(PersistentHeap heap, ListRoot root, long id) {
        heap.transaction(tx -> {
            Entry entry = new Entry(id);
            if (root.head == null) {
                root.head = entry;
            } else {
                root.tail.next = entry;
            }
            root.tail = entry;
            root.count++;
        });
    }

    /** Walks the list: every entry reachable from head, tail the last one, count equal. {@return the count} */
    static long verify(ListRoot root) {
        long seen = 0;
        Entry last = null;
        for (Entry e = root.head; e != null; e = e.next) {
            last = e;
            seen++;
        }
        if (last != root.tail) {
            throw new IllegalStateException("tail is not the last entry");
        }
        if (seen != root.count) {
            throw new IllegalStateException("count says " + root.count + ", the list has " + seen);
        }
        return seen;
    }

    /** {@code HEAP N [power|process]}: adds N entries, each in its own transaction; prints {@code nodes=<count>}. */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: jpmem-example-linkedlist HEAP N [power|process]");
            System.exit(2);
        }
        int n;
        try {
            n = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            System.err.println("jpmem-example-linkedlist: N must be a count of nodes, not '" + args[1] + "'");
            System.exit(2);
        }
        Durability durability = args.length == 3 && args[2].toLowerCase(Locale.ROOT).equals("process")
                ? Durability.PROCESS : Durability.POWER;
        try (PersistentHeap heap = PersistentHeap.openOrCreate(Path.of(args[0]),
                HeapOptions.defaults().withDurability(durability).withMaxByteSize(64L << 20))) {
            ObjectSpace space = ObjectSpace.of(heap);
            ListRoot root = heap.transactionResult(tx -> {
                ListRoot existing = space.root("list", ListRoot.class);
                if (existing == null) {
                    existing = new ListRoot();
                    space.setRoot("list", existing);
                }
                return existing;
            });
            System.out.println("reopened with nodes=" + verify(root));
            Random random = new Random();
            for (int i = 0; i < n; i++) {
                addNode(heap, root, random.nextLong());
                if (i % 100 == 99) {
                    System.out.println("added " + (i + 1));
                }
            }
            System.out.println("nodes=" + verify(root));
        } catch (HeapOpenException e) {
            System.err.println("jpmem-example-linkedlist: " + e.getMessage());
            System.exit(2);
        }
    }
}
