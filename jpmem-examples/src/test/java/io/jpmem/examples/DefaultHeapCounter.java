package io.jpmem.examples;

import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.Persistent;

/** A program that keeps a counter in the default heap, {@code -Djpmem.heap=PATH}: prints {@code count=N}. */
public final class DefaultHeapCounter {

    @Persistent
    static final class Count {
        long value;
    }

    public static void main(String[] args) {
        ObjectSpace space = ObjectSpace.defaultSpace();
        long value = space.heap().transactionResult(tx -> {
            Count count = space.root("count", Count.class);
            if (count == null) {
                count = new Count();
                space.setRoot("count", count);
            }
            return ++count.value;
        });
        System.out.println("count=" + value);
    }
}
