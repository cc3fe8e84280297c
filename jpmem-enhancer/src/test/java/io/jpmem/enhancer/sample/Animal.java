package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** A persistent base class. */
@Persistent
public class Animal {
    String name;
    int legs;

    public Animal(String name, int legs) {
        this.name = name;
        this.legs = legs;
    }

    public String describe() {
        return name + "/" + legs;
    }
}
