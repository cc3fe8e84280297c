package io.jpmem.collections;

import io.jpmem.objects.PersistentObject;
import java.util.HexFormat;

/** Turns what a persistent collection holds or returns into values a java.util model compares by content. */
final class Model {

    private Model() {}

    record Bytes(String hex) {}

    record Obj(long ref) {}

    record Point(long x) {}

    static Object norm(Object o) {
        return switch (o) {
            case null -> null;
            case byte[] b -> new Bytes(HexFormat.of().formatHex(b));
            case PointKey p -> new Point(p.x());
            case PersistentObject p -> new Obj(p.$jpmemRef());
            default -> o;
        };
    }
}
