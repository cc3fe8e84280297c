package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** A class that is not persistent, with persistent nested classes. */
public class Outer {

    /** A non-static inner class of a non-persistent class that uses its outer instance: refused. */
    @Persistent
    public class Inner {
        long value;

        public String outer() {
            return Outer.this.toString(); // uses the outer instance, so javac keeps this$0
        }
    }

    /** A static nested class: fine. */
    @Persistent
    public static class Nested {
        long value;
    }
}
