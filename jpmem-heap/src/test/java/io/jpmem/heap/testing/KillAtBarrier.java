package io.jpmem.heap.testing;

import io.jpmem.persist.BarrierHook;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For crash children: SIGKILL this JVM at its {@code n}-th persistence barrier (a flush or fence of
 * the heap's domain, counted by {@link BarrierHook}), so a crash lands exactly between two ordering
 * points instead of wherever a parent's timer happens to hit. The kill is a real {@code kill(2)} of
 * the process (no shutdown hooks, no finally blocks); if the downcall fails, {@code halt(9)}.
 */
@SuppressWarnings("restricted") // native downcalls on purpose; the launchers grant --enable-native-access
public final class KillAtBarrier {

    private KillAtBarrier() {}

    /** Arms the kill at barrier {@code n}; 0 or less arms nothing (the parent kills the child itself). */
    public static void arm(long n) {
        if (n <= 0) {
            return;
        }
        MethodHandle kill = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("kill").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        int pid = (int) ProcessHandle.current().pid();
        AtomicLong barriers = new AtomicLong();
        BarrierHook.set(() -> {
            if (barriers.incrementAndGet() == n) {
                try {
                    int ignored = (int) kill.invokeExact(pid, 9);
                } catch (Throwable t) {
                    Runtime.getRuntime().halt(9);
                }
            }
        });
    }
}
