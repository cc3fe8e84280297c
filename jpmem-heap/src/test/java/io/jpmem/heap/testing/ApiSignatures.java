package io.jpmem.heap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds types of internal packages (any package with an {@code internal} segment) named in the
 * public signatures of a package: supertypes, and the types of public or protected fields,
 * constructors and methods (parameters, results, exceptions, type arguments and bounds). A sealed
 * type's {@code permits} clause is not a signature and is not looked at: clients cannot name it.
 */
public final class ApiSignatures {

    private ApiSignatures() {}

    /** {@return every public type of {@code packageName} found beside {@code anchor}'s class file} */
    public static List<Class<?>> publicTypesOf(Class<?> anchor, String packageName) {
        Path root;
        try {
            root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path dir = root.resolve(packageName.replace('.', '/'));
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String simple = file.getFileName().toString().replace(".class", "");
                if (simple.equals("module-info") || simple.equals("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(packageName + "." + simple, false, anchor.getClassLoader());
                if (isVisible(type)) {
                    types.add(type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers()) && !Modifier.isProtected(c.getModifiers())) {
                return false;
            }
        }
        return !type.isSynthetic() && !type.isAnonymousClass();
    }

    /** {@return one line per internal type that {@code type}'s public signatures name} */
    public static List<String> internalTypesNamedBy(Class<?> type) {
        List<String> found = new ArrayList<>();
        check(found, type.getName() + " extends", type.getGenericSuperclass());
        for (Type i : type.getGenericInterfaces()) {
            check(found, type.getName() + " implements", i);
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
                check(found, type.getName() + "." + f.getName(), f.getGenericType());
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c.getModifiers()) && !c.isSynthetic()) {
                checkExecutable(found, type.getName() + ".<init>", c);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                check(found, type.getName() + "." + m.getName() + " returns", m.getGenericReturnType());
                checkExecutable(found, type.getName() + "." + m.getName(), m);
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (isVisible(nested)) {
                found.addAll(internalTypesNamedBy(nested));
            }
        }
        return found;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void checkExecutable(List<String> found, String where, Executable e) {
        for (Type p : e.getGenericParameterTypes()) {
            check(found, where + " parameter", p);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(found, where + " throws", x);
        }
        for (TypeVariable<?> v : e.getTypeParameters()) {
            for (Type bound : v.getBounds()) {
                check(found, where + " type parameter", bound);
            }
        }
    }

    private static void check(List<String> found, String where, Type type) {
        switch (type) {
            case null -> { }
            case Class<?> c when c.isArray() -> check(found, where, c.getComponentType());
            case Class<?> c -> {
                if (c.getPackageName().contains(".internal")) {
                    found.add(where + ": " + c.getName());
                }
            }
            case ParameterizedType p -> {
                check(found, where, p.getRawType());
                for (Type a : p.getActualTypeArguments()) {
                    check(found, where, a);
                }
            }
            case GenericArrayType g -> check(found, where, g.getGenericComponentType());
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    check(found, where, b);
                }
                for (Type b : w.getLowerBounds()) {
                    check(found, where, b);
                }
            }
            default -> { } // type variables: their bounds are checked where they are declared
        }
    }
}
