package io.jpmem.heap;

/**
 * A type was registered under a class name that the heap already records with a different layout:
 * the class changed between runs. The message names the class and the first difference.
 */
public final class SchemaMismatchException extends JpmemException {

    private final String className;

    /** Creates the exception for {@code className}; {@code difference} says how the layouts differ. */
    public SchemaMismatchException(String className, String difference) {
        super("type " + className + " does not match the heap's type table: " + difference, null);
        this.className = className;
    }

    /** {@return the class whose layout differs} */
    public String className() {
        return className;
    }
}
