package io.jpmem.enhancer;

/** A class cannot be enhanced; the message names the class and, where one is at fault, the field. */
public final class EnhancementException extends RuntimeException {
    EnhancementException(String message) {
        super(message);
    }
}
