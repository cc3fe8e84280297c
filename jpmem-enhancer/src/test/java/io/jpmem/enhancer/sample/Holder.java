package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;
import io.jpmem.objects.PersistentLongArray;
import io.jpmem.objects.PersistentRefArray;

/** Fields holding persistent arrays. */
@Persistent
public class Holder {
    PersistentLongArray numbers;
    PersistentRefArray<Node> nodes;
}
