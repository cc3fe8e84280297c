package io.jpmem.persist;

/**
 * A test hook called at every drain (persist barrier) of every domain, so crash tests can kill a
 * process at a chosen barrier. Off unless the JVM starts with {@code -Djpmem.test.barrierHook=true};
 * when off, the check folds away in the JIT and costs nothing.
 */
public final class BarrierHook {

    private BarrierHook() {}

    static final boolean ENABLED = Boolean.getBoolean("jpmem.test.barrierHook");

    private static volatile Runnable hook;

    /**
     * Sets the action run at every drain, on the draining thread.
     *
     * @throws IllegalStateException if the JVM was not started with {@code -Djpmem.test.barrierHook=true}
     */
    public static void set(Runnable action) {
        if (!ENABLED) {
            throw new IllegalStateException("start the JVM with -Djpmem.test.barrierHook=true to use the barrier hook");
        }
        hook = action;
    }

    static void reached() {
        if (ENABLED) {
            Runnable action = hook;
            if (action != null) {
                action.run();
            }
        }
    }
}
