package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** A generic persistent class: a type-variable field holds a persistent object or a value copy. */
@Persistent
public class Box<T> {
    T value;
    Comparable<?> key;
    Number amount;

    public Box(T value) {
        this.value = value;
    }

    public T get() {
        return value;
    }

    public void set(T value) {
        this.value = value;
    }

    public void setKey(Comparable<?> key) {
        this.key = key;
    }

    public Comparable<?> key() {
        return key;
    }

    public void setAmount(Number amount) {
        this.amount = amount;
    }

    public Number amount() {
        return amount;
    }
}
