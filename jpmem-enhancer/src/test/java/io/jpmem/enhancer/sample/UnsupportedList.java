package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;
import java.util.ArrayList;

/** A field of a concrete class that can never be persistent: refused. */
@Persistent
public class UnsupportedList {
    ArrayList<String> names;
}
