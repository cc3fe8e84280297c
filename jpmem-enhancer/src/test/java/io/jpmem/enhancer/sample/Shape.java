package io.jpmem.enhancer.sample;

/** An interface implemented by persistent classes; fields of this type hold any of them. */
public interface Shape {
    double area();
}
