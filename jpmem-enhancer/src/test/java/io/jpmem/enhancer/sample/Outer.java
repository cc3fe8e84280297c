package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** Shapes the enhancer refuses in this version, with their messages. */
public class Outer {

    /** A non-static inner class: its outer reference is stored before super(). */
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

    /** A store before super() (JDK 25 flexible constructor bodies). */
    @Persistent
    public static class EarlyStore {
        long value;

        public EarlyStore(long value) {
            this.value = value;
            super();
        }
    }
}
