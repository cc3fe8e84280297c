package io.jpmem.enhancer.sample;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentDoubleArray;
import io.jpmem.objects.PersistentIntArray;
import io.jpmem.objects.PersistentRefArray;
import java.util.Arrays;

/** Application code for the class shapes beyond the basics: inner classes, early stores, generics, interfaces. */
public final class Shapes {

    private Shapes() {}

    /** An Owner and one of its inner Items under roots "owner" and "item". */
    public static String makeInner(PersistentHeap heap) {
        ObjectSpace space = ObjectSpace.of(heap);
        return heap.transactionResult(tx -> {
            Owner owner = new Owner("shop");
            Owner.Item item = owner.new Item(42);
            space.setRoot("owner", owner);
            space.setRoot("item", item);
            return item.describe() + " " + (item.owner() == owner);
        });
    }

    public static String readInner(PersistentHeap heap) {
        ObjectSpace space = ObjectSpace.of(heap);
        Owner.Item item = space.root("item", Owner.Item.class);
        return item.describe() + " " + (item.owner() == space.root("owner", Owner.class));
    }

    /** Objects whose constructors store persistent fields before super(), under roots "early*". */
    public static String makeEarly(PersistentHeap heap) {
        ObjectSpace space = ObjectSpace.of(heap);
        return heap.transactionResult(tx -> {
            EarlyStore first = new EarlyStore(-5, "five", new Animal("cat", 4));
            EarlyStore copy = new EarlyStore(first, 9);
            EarlyChild child = new EarlyChild(7);
            space.setRoot("early", first);
            space.setRoot("earlyCopy", copy);
            space.setRoot("earlyChild", child);
            return first.describe() + " " + copy.describe() + " " + child.describe();
        });
    }

    public static String readEarly(PersistentHeap heap) {
        ObjectSpace space = ObjectSpace.of(heap);
        return space.root("early", EarlyStore.class).describe() + " " + space.root("earlyCopy", EarlyStore.class).describe()
                + " " + space.root("earlyChild", EarlyStore.class).describe();
    }

    /** Boxes of several type arguments under root "boxes" (a PersistentRefArray of boxes). */
    public static void makeBoxes(PersistentHeap heap) {
        ObjectSpace space = ObjectSpace.of(heap);
        heap.transaction(tx -> {
            PersistentRefArray<Box<?>> boxes = new PersistentRefArray<>(4);
            boxes.set(0, new Box<>(new Animal("dog", 4)));
            boxes.set(1, new Box<>("héllo"));
            Box<Long> number = new Box<>(12L);
            number.setKey("k");
            number.setAmount(2.5);
            boxes.set(2, number);
            boxes.set(3, new Box<>(new byte[] {1, 2, 3}));
            space.setRoot("boxes", boxes);
        });
    }

    @SuppressWarnings("unchecked")
    public static String readBoxes(PersistentHeap heap) {
        PersistentRefArray<Box<?>> boxes = ObjectSpace.of(heap).root("boxes", PersistentRefArray.class);
        Box<Animal> animal = (Box<Animal>) boxes.get(0);
        Box<String> text = (Box<String>) boxes.get(1);
        Box<Long> number = (Box<Long>) boxes.get(2);
        Box<byte[]> bytes = (Box<byte[]>) boxes.get(3);
        return animal.get().describe() + " " + (animal.get() == animal.get()) + " " + text.get() + " " + number.get()
                + " " + number.key() + " " + number.amount() + " " + Arrays.toString(bytes.get());
    }

    /** Replaces the String box's value {@code times} times, inside one transaction each; returns the last value. */
    @SuppressWarnings("unchecked")
    public static String replaceText(PersistentHeap heap, int times) {
        PersistentRefArray<Box<?>> boxes = ObjectSpace.of(heap).root("boxes", PersistentRefArray.class);
        Box<Object> text = (Box<Object>) boxes.get(1);
        for (int i = 0; i < times; i++) {
            int n = i;
            heap.transaction(tx -> text.set("text-" + n));
        }
        text.set(((Box<Object>) boxes.get(0)).get()); // a persistent object replaces the copy, outside a transaction
        text.set("back"); // and a copy replaces the object: the object is not freed
        return text.get() + " " + ((Box<Animal>) boxes.get(0)).get().describe();
    }

    /** Stores a plain Java object into a generic field: the error message. */
    @SuppressWarnings("unchecked")
    public static String storeNonPersistent(PersistentHeap heap) {
        PersistentRefArray<Box<?>> boxes = ObjectSpace.of(heap).root("boxes", PersistentRefArray.class);
        try {
            ((Box<Object>) boxes.get(1)).set(new StringBuilder("no"));
            return "stored";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Stores {@code value} into the generic field of a new Box in a transaction: the error message, or "stored". */
    @SuppressWarnings({"unchecked", "cast"}) // the cast is the shape under test
    public static String storeIntoGenericField(PersistentHeap heap, Object value) {
        try {
            heap.transaction(tx -> ((Box<Object>) new Box<Object>(null)).set(value));
            return "stored";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** A drawing with interface-typed fields and int/double arrays under root "drawing". */
    public static void makeDrawing(PersistentHeap heap) {
        heap.transaction(tx -> {
            Drawing drawing = new Drawing();
            drawing.main = new Circle(2);
            drawing.shapes = new PersistentRefArray<>(3);
            drawing.shapes.set(0, drawing.main);
            drawing.shapes.set(1, new Square(3));
            drawing.colors = new PersistentIntArray(3);
            drawing.weights = new PersistentDoubleArray(3);
            for (int i = 0; i < 3; i++) {
                drawing.colors.set(i, -i - 1);
                drawing.weights.set(i, i / 2.0);
            }
            ObjectSpace.of(heap).setRoot("drawing", drawing);
        });
    }

    public static String readDrawing(PersistentHeap heap) {
        Drawing drawing = ObjectSpace.of(heap).root("drawing", Drawing.class);
        StringBuilder out = new StringBuilder().append(drawing.main.area()).append(' ')
                .append(drawing.main == drawing.shapes.get(0));
        for (long i = 0; i < drawing.shapes.length(); i++) {
            Shape shape = drawing.shapes.get(i);
            out.append(' ').append(shape == null ? "null" : shape.getClass().getSimpleName() + "=" + shape.area())
                    .append('/').append(drawing.colors.get(i)).append('/').append(drawing.weights.get(i));
        }
        return out.toString();
    }
}
