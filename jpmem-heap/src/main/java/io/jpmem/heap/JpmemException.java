package io.jpmem.heap;

/**
 * The root of jpmem's own exceptions: each subclass names one broken rule. Misuse of the API is
 * reported with the JDK's types instead ({@link IllegalArgumentException} for a bad argument,
 * {@link IllegalStateException} for a closed heap, {@link IndexOutOfBoundsException} for an
 * offset outside the object area).
 */
public abstract sealed class JpmemException extends RuntimeException
        permits HeapOpenException, HeapCorruptedException, SchemaMismatchException, HeapFullException {

    JpmemException(String message, Throwable cause) {
        super(message, cause);
    }
}
