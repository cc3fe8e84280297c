package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;


/** A persistent class with a field type the enhancer refuses. */
@Persistent
public class Unsupported {
    long ok;
    int[] names;
}
