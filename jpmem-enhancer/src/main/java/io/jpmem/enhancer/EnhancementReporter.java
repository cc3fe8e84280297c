package io.jpmem.enhancer;

import java.io.PrintStream;

/**
 * The one way a failed enhancement is reported, by the agent, the enhancing system class loader and
 * the build-time command: one line on stderr, {@code jpmem enhancer: } and the reason (an
 * {@link EnhancementException}'s message names class and field; anything else names the class and
 * the error). At load time the JVM then stops: running a class unenhanced would silently keep its
 * data in volatile fields. At build time the build fails.
 */
final class EnhancementReporter {

    /** The exit status of a JVM stopped because a class could not be enhanced at load time. */
    static final int LOAD_TIME_STATUS = 70;

    private EnhancementReporter() {}

    /** {@return the report line for {@code failure} while enhancing {@code className} (binary or internal name)} */
    static String message(String className, Throwable failure) {
        return failure instanceof EnhancementException e ? "jpmem enhancer: " + e.getMessage()
                : "jpmem enhancer: cannot enhance " + className.replace('/', '.') + ": " + failure;
    }

    /** Prints the report on {@code err}. */
    static void report(PrintStream err, String className, Throwable failure) {
        err.println(message(className, failure));
        err.flush();
    }

    /** Reports on stderr and halts the JVM with {@link #LOAD_TIME_STATUS}; never returns normally. */
    static RuntimeException stopJvm(String className, Throwable failure) {
        report(System.err, className, failure);
        Runtime.getRuntime().halt(LOAD_TIME_STATUS);
        return new IllegalStateException("halted", failure);
    }
}
