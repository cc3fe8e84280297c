package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** A subclass that stores its own field before calling a superclass constructor that stores early too. */
@Persistent
public class EarlyChild extends EarlyStore {
    long extra;

    public EarlyChild(long value) {
        this.extra = value * 2;
        super(value, "child", null);
    }

    @Override
    public String describe() {
        return super.describe() + "/" + extra;
    }
}
