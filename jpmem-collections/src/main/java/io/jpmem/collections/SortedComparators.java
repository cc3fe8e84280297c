package io.jpmem.collections;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.Comparator;

/**
 * How a {@link PSortedMap}'s comparator survives a reopen: by the name of its class, made again
 * with its public no-argument constructor (or, for an enum, its first constant). Comparators that
 * cannot be made again from a name (lambdas, anonymous, local, non-public classes) are refused
 * when the map is created, not discovered broken after a restart.
 */
final class SortedComparators {

    private SortedComparators() {}

    /** {@return the name to store for {@code comparator}} @throws IllegalArgumentException if it cannot be made again */
    static String nameOf(Comparator<?> comparator) {
        Class<?> type = comparator.getClass();
        String problem = type.isHidden() || type.isSynthetic() ? "a lambda or hidden class"
                : type.isAnonymousClass() ? "an anonymous class"
                : type.isLocalClass() ? "a local class"
                : !Modifier.isPublic(type.getModifiers()) ? "not public"
                : null;
        if (problem == null && !type.isEnum()) {
            try {
                Constructor<?> constructor = type.getConstructor();
                if (!Modifier.isPublic(constructor.getModifiers())) {
                    problem = "its no-argument constructor is not public";
                }
            } catch (NoSuchMethodException e) {
                problem = "it has no public no-argument constructor";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("PSortedMap cannot keep comparator " + type.getName() + " (" + problem
                    + "): after a reopen it is made again from its class name, so use a public named class with a"
                    + " public no-argument constructor, or an enum");
        }
        return type.getName();
    }

    /** {@return a new comparator of the class named {@code name}} @throws IllegalStateException if it cannot be made */
    @SuppressWarnings("unchecked")
    static Comparator<Object> create(String name) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(name, true, loader != null ? loader : SortedComparators.class.getClassLoader());
            Object comparator = type.isEnum() ? type.getEnumConstants()[0] : type.getConstructor().newInstance();
            return (Comparator<Object>) comparator;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this PSortedMap is ordered by comparator " + name
                    + ", which cannot be made again here: " + e, e);
        }
    }
}
