package io.jpmem.enhancer.sample;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import java.util.ArrayList;
import java.util.List;

/** Ordinary (not persistent) code using persistent classes, as an application would. Run through an enhancing loader. */
public final class Program {

    private Program() {}

    /** Adds {@code n} nodes, each in its own transaction; returns the list's count. */
    public static long addNodes(PersistentHeap heap, int n) {
        ObjectSpace space = ObjectSpace.of(heap);
        LinkedList list = heap.transactionResult(tx -> {
            LinkedList existing = space.root("list", LinkedList.class);
            if (existing == null) {
                existing = new LinkedList();
                space.setRoot("list", existing);
            }
            return existing;
        });
        for (int i = 0; i < n; i++) {
            long id = list.count + 1;
            heap.transaction(tx -> {
                Node node = new Node(id);
                node.weight = id / 2.0;
                node.letter = (char) ('a' + id % 26);
                node.flag = id % 2 == 0;
                node.small = (short) -id;
                node.tiny = (byte) id;
                node.ratio = id / 4f;
                list.add(node);
            });
        }
        return list.count;
    }

    /** {@return a description of the list, walking it from head and checking tail and count} */
    public static String describe(PersistentHeap heap) {
        LinkedList list = ObjectSpace.of(heap).root("list", LinkedList.class);
        if (list == null) {
            return "empty";
        }
        List<String> ids = new ArrayList<>();
        Node last = null;
        for (Node n = list.head; n != null; n = n.next) {
            ids.add(n.id + "/" + n.hits + "/" + n.weight + "/" + n.letter + "/" + n.flag + "/" + n.small + "/" + n.tiny
                    + "/" + n.ratio + "/" + n.notPersisted);
            last = n;
        }
        if (last != list.tail) {
            throw new IllegalStateException("tail is not the last node");
        }
        if (ids.size() != list.count) {
            throw new IllegalStateException("count " + list.count + " but " + ids.size() + " nodes");
        }
        return "nodes=" + list.count + " " + ids;
    }

    /** Updates every node's fields in one transaction: enhanced stores, logged by the barrier. */
    public static void touchAll(PersistentHeap heap) {
        LinkedList list = ObjectSpace.of(heap).root("list", LinkedList.class);
        heap.transaction(tx -> {
            for (Node n = list.head; n != null; n = n.next) {
                n.hits++;
                n.weight = -n.weight;
            }
        });
    }

    /** Names every node (String field, replaced: the old copy is freed) and sets its boxed field. */
    public static void renameAll(PersistentHeap heap, String prefix) {
        LinkedList list = ObjectSpace.of(heap).root("list", LinkedList.class);
        heap.transaction(tx -> {
            for (Node n = list.head; n != null; n = n.next) {
                n.name = prefix + "-" + n.id + "-é";
                n.boxed = n.id * 1000;
            }
        });
    }

    /** Clears names outside a transaction (each store is its own transaction). */
    public static void clearNames(PersistentHeap heap) {
        LinkedList list = ObjectSpace.of(heap).root("list", LinkedList.class);
        for (Node n = list.head; n != null; n = n.next) {
            n.name = null;
            n.boxed = null;
        }
    }

    /** {@return the names and boxed values, in list order} */
    public static String names(PersistentHeap heap) {
        LinkedList list = ObjectSpace.of(heap).root("list", LinkedList.class);
        StringBuilder out = new StringBuilder();
        for (Node n = list.head; n != null; n = n.next) {
            out.append(n.name).append('=').append(n.boxed).append(' ');
        }
        return out.toString().trim();
    }

    /** Creates a holder of two arrays under root "holder". */
    public static void makeArrays(PersistentHeap heap, int length) {
        ObjectSpace space = ObjectSpace.of(heap);
        heap.transaction(tx -> {
            Holder holder = new Holder();
            holder.numbers = new io.jpmem.objects.PersistentLongArray(length);
            holder.nodes = new io.jpmem.objects.PersistentRefArray<>(length);
            for (int i = 0; i < length; i++) {
                holder.numbers.set(i, i * 10L);
                holder.nodes.set(i, new Node(100 + i));
            }
            space.setRoot("holder", holder);
        });
    }

    /** {@return the arrays' contents, and whether element handles are canonical} */
    public static String readArrays(PersistentHeap heap) {
        Holder holder = ObjectSpace.of(heap).root("holder", Holder.class);
        StringBuilder out = new StringBuilder();
        for (long i = 0; i < holder.numbers.length(); i++) {
            out.append(holder.numbers.get(i)).append(':').append(holder.nodes.get(i).id).append(' ');
        }
        return out.append(holder.nodes.get(0) == holder.nodes.get(0)).toString();
    }

    /** The reflective factory: a zeroed Node whose constructor did not run. */
    public static String pnew(PersistentHeap heap) {
        Node node = heap.transactionResult(tx -> ObjectSpace.of(heap).allocate(Node.class));
        return node.id + "/" + node.hits + "/" + node.name;
    }

    /** Stores a Dog (a persistent subclass) whose friend is an Animal, under root "dog". */
    public static void makeDog(PersistentHeap heap) {
        heap.transaction(tx -> {
            Dog dog = new Dog("rex", 3);
            dog.friend = new Animal("tweety", 2);
            dog.legs = 3; // an inherited field, written through the subclass
            ObjectSpace.of(heap).setRoot("dog", dog);
        });
    }

    /** {@return the dog's description and the runtime class of its friend, read back} */
    public static String readDog(PersistentHeap heap) {
        Animal animal = ObjectSpace.of(heap).root("dog", Animal.class);
        return animal.getClass().getSimpleName() + ":" + animal.describe();
    }

    /** Stores a record under root "point". */
    public static void makePoint(PersistentHeap heap) {
        heap.transaction(tx -> ObjectSpace.of(heap).setRoot("point", new Point(3, -4, "p")));
    }

    /** {@return the record read back: toString, an accessor, equals and hashCode against a fresh equal record} */
    public static String readPoint(PersistentHeap heap) {
        Point point = ObjectSpace.of(heap).root("point", Point.class);
        Point twin = heap.transactionResult(tx -> new Point(3, -4, "p"));
        return point + " x=" + point.x() + " equals=" + point.equals(twin) + " hash=" + (point.hashCode() == twin.hashCode());
    }

    /** {@return whether two reads of the same field give the same Java object} */
    public static boolean identityHolds(PersistentHeap heap) {
        LinkedList list = ObjectSpace.of(heap).root("list", LinkedList.class);
        return list.head == list.head && list == ObjectSpace.of(heap).root("list", LinkedList.class)
                && (list.count != 1 || list.head == list.tail);
    }

    /** Stores an object of another heap into a persistent field: must fail naming the class and field. */
    public static void storeForeign(PersistentHeap heap, PersistentHeap other) {
        Node foreign = other.transactionResult(tx -> new Node(7));
        heap.transaction(tx -> {
            Node node = new Node(99);
            node.next = foreign;
        });
    }
}
