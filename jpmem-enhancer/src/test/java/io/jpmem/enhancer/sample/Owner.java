package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** A persistent class with a non-static inner persistent class: the outer reference is a persistent field. */
@Persistent
public class Owner {
    String name;

    public Owner(String name) {
        this.name = name;
    }

    /** An inner class: javac stores {@code this$0} before super(); the enhancer keeps it until the block exists. */
    @Persistent
    public class Item {
        long price;

        public Item(long price) {
            this.price = price;
        }

        public Owner owner() {
            return Owner.this;
        }

        public String describe() {
            return name + ":" + price; // reads the outer instance's field through this$0
        }
    }
}
