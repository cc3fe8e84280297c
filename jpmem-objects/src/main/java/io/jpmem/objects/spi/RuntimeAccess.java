package io.jpmem.objects.spi;

import io.jpmem.heap.HeapType;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;

/**
 * What the plumbing of persistent classes (the field barriers, the bases and handles of hand-written
 * persistent classes) asks of the object runtime beyond {@link ObjectSpace}'s public API. The one
 * implementation lives with {@code ObjectSpace} and installs itself when that class initializes
 * (the JDK's "shared secrets" shape), so these operations need no public member on the API types.
 *
 * <p>None of them hands out the {@code Wrap} token: {@link #bindNew} binds a handle that has no block
 * yet, and refuses one that has.
 */
public interface RuntimeAccess {

    /** {@return the space where {@code new} of {@code type} allocates now} @throws IllegalStateException if none */
    ObjectSpace forAllocation(Class<?> type);

    /** {@return the heap type of a persistent class in {@code space}, registered on first use} */
    HeapType typeOf(ObjectSpace space, Class<?> type);

    /**
     * Binds {@code object}, a new handle without a block, to its new block {@code ref} of {@code space}
     * and makes it the block's canonical handle.
     *
     * @throws IllegalStateException if {@code object} is bound already
     */
    void bindNew(PersistentObject object, ObjectSpace space, long ref);

    /** {@return the canonical handle of the block at {@code ref}, or null for 0} */
    Object handle(ObjectSpace space, long ref, Class<?> expected);

    /** {@return the reference of a persistent object of {@code space}, 0 for null} @throws IllegalArgumentException naming {@code where} */
    long refOf(ObjectSpace space, Object value, String where);

    /**
     * Points the reference slot at {@code at} to {@code value} (by reference or as a value copy) and frees
     * the copy it held, in the thread's transaction or one of its own; refused before anything is written.
     */
    void replaceSlot(ObjectSpace space, long at, Object value, String where);

    /** {@return a new String equal to the String copy at {@code copy}} */
    String readString(ObjectSpace space, long copy);

    /** {@return a new box of class {@code boxClass} holding {@code bits}} */
    Object box(long bits, Class<?> boxClass);

    /** {@return the runtime's access} */
    static RuntimeAccess get() {
        RuntimeAccess access = Holder.access;
        if (access == null) {
            ensureRuntimeInitialized();
            access = Holder.access;
        }
        return access;
    }

    /**
     * Installs the runtime's implementation; called once, by {@code ObjectSpace}'s initializer.
     *
     * @throws IllegalStateException if one is installed already
     */
    static void install(RuntimeAccess access) {
        ensureRuntimeInitialized(); // the runtime's own installs first; a second is refused below
        synchronized (Holder.class) {
            if (Holder.access != null) {
                throw new IllegalStateException("the object runtime's access is installed already");
            }
            Holder.access = java.util.Objects.requireNonNull(access);
        }
    }

    private static void ensureRuntimeInitialized() {
        try {
            Class.forName(ObjectSpace.class.getName(), true, ObjectSpace.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The installed access. */
    final class Holder {
        private Holder() {}

        private static volatile RuntimeAccess access;
    }
}
