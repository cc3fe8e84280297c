package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** JDK 25 flexible constructor bodies: persistent fields stored before super(). */
@Persistent
public class EarlyStore {
    long value;
    String label;
    Animal pet;
    long after;

    public EarlyStore(long value, String label, Animal pet) {
        this.value = value > 0 ? value : -value; // a branch in the prologue
        this.label = label;
        this.pet = pet;
        super();
        this.after = this.value + 1; // reads the early store after super(): it is in the block by now
    }

    /** Stores into another, existing object before super(): that store goes to the other's block at once. */
    public EarlyStore(EarlyStore other, long value) {
        other.value = value;
        this.value = value * 10;
        this.label = "copy of " + other.label;
        super();
    }

    public String describe() {
        return value + "/" + label + "/" + (pet == null ? "-" : pet.describe()) + "/" + after;
    }
}
