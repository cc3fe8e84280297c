package io.jpmem.objects;

/**
 * The marker parameter of the constructor the enhancer adds to each persistent class,
 * {@code (Wrap, ObjectSpace, long)}, which wraps an existing block without running user code.
 */
public final class Wrap {
    private Wrap() {}
}
