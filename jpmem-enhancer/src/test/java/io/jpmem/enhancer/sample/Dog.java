package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** A persistent subclass: its block holds Animal's fields, then its own. */
@Persistent
public class Dog extends Animal {
    long tricks;
    Animal friend;

    public Dog(String name, long tricks) {
        super(name, 4);
        this.tricks = tricks;
    }

    @Override
    public String describe() {
        return super.describe() + "/" + tricks + "/" + (friend == null ? "-" : friend.describe());
    }
}
