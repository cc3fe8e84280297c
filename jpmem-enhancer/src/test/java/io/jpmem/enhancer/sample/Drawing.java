package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;
import io.jpmem.objects.PersistentDoubleArray;
import io.jpmem.objects.PersistentIntArray;
import io.jpmem.objects.PersistentRefArray;

/** Interface-typed fields and arrays of other element kinds. */
@Persistent
public class Drawing {
    Shape main;
    PersistentRefArray<Shape> shapes;
    PersistentIntArray colors;
    PersistentDoubleArray weights;
}
