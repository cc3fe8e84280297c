package io.jpmem.objects;

import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.spi.EnhancerAbi;
import io.jpmem.objects.spi.RuntimeAccess;
import io.jpmem.objects.spi.ValueCopyRule;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The persistent objects of one heap: canonical handles (at most one live handle per block, so
 * {@code ==} and {@code synchronized} behave as for ordinary objects), the type of each enhanced
 * class, and named roots as objects.
 *
 * <p>Where {@code new} allocates: in the heap of the transaction in progress on the calling thread;
 * outside a transaction, in the {@linkplain #setDefault default space}; with neither, or with
 * transactions on two heaps at once, {@code new} throws {@link IllegalStateException}.
 */
public final class ObjectSpace {

    private static final Map<PersistentHeap, ObjectSpace> SPACES = new WeakHashMap<>();
    private static volatile ObjectSpace defaultSpace;

    static {
        RuntimeAccess.install(new Access());
    }

    /** What {@code io.jpmem.objects.spi} (the barriers, hand-written persistent classes) asks of this runtime. */
    private static final class Access implements RuntimeAccess {

        @Override
        public ObjectSpace forAllocation(Class<?> type) {
            return ObjectSpace.forAllocation(type);
        }

        @Override
        public HeapType typeOf(ObjectSpace space, Class<?> type) {
            return space.typeOf(type);
        }

        @Override
        public void bindNew(PersistentObject object, ObjectSpace space, long ref) {
            if (object.$jpmemSpace() != null) {
                throw new IllegalStateException(object.getClass().getName() + ": the handle has a block already");
            }
            object.$jpmemBind(Wrap.token(), space, ref);
            space.registerNew(object, ref);
        }

        @Override
        public Object handle(ObjectSpace space, long ref, Class<?> expected) {
            return space.handle(ref, expected);
        }

        @Override
        public long refOf(ObjectSpace space, Object value, String where) {
            return space.refOf(value, where);
        }

        @Override
        public void replaceSlot(ObjectSpace space, long at, Object value, String where) {
            space.replaceSlot(at, value, where);
        }

        @Override
        public String readString(ObjectSpace space, long copy) {
            return (String) space.copies.read(copy, String.class);
        }

        @Override
        public Object box(long bits, Class<?> boxClass) {
            return ValueCopies.box(bits, boxClass);
        }
    }

    private final PersistentHeap heap;
    private final HandleTable handles = new HandleTable();
    private final ConcurrentHashMap<Class<?>, HeapType> types = new ConcurrentHashMap<>();
    /** Classes seen in this process by name, so a handle is made with the class the program uses. */
    private final ConcurrentHashMap<String, Class<?>> classesByName = new ConcurrentHashMap<>();
    private final ValueCopies copies;

    private ObjectSpace(PersistentHeap heap) {
        this.heap = heap;
        this.copies = new ValueCopies(heap);
    }

    /** {@return the object space of {@code heap}} */
    public static synchronized ObjectSpace of(PersistentHeap heap) {
        return SPACES.computeIfAbsent(Objects.requireNonNull(heap, "heap"), ObjectSpace::new);
    }

    /** Makes {@code heap} the one {@code new} allocates in outside transactions; null to clear. */
    public static void setDefault(PersistentHeap heap) {
        defaultSpace = heap == null ? null : of(heap);
    }

    /**
     * {@return the default space} The one {@link #setDefault} chose; else the heap
     * {@code -Djpmem.heap=PATH} names, opened now if it is not open yet (see {@link DefaultHeap}).
     *
     * @throws IllegalStateException if there is no default heap
     * @throws IllegalArgumentException naming the option, if {@code -Djpmem.heap} has a bad value
     */
    public static ObjectSpace defaultSpace() {
        ObjectSpace space = defaultSpace;
        if (space != null) {
            return space;
        }
        return DefaultHeap.open().orElseThrow(() -> new IllegalStateException(
                "no default heap: call ObjectSpace.setDefault(heap), or run with -Djpmem.heap=PATH"));
    }

    /** {@return the heap} */
    public PersistentHeap heap() {
        return heap;
    }

    /**
     * {@return the object a root names, or null} The root must name a block of a persistent class.
     *
     * @throws ClassCastException if it is not a {@code type}
     */
    public <T> T root(String name, Class<T> type) {
        long ref = heap.roots().get(name).orElse(0);
        return type.cast(handle(ref, type));
    }

    /** Creates or updates a root naming a persistent object (or null). Joins the thread's transaction. */
    public void setRoot(String name, Object value) {
        long ref = refOf(value, "root \"" + name + "\"");
        if (heap.roots().get(name).isPresent()) {
            heap.roots().set(name, ref);
        } else {
            heap.roots().create(name, ref);
        }
    }

    long refOf(Object value, String where) {
        if (value == null) {
            return 0;
        }
        if (!(value instanceof PersistentObject object)) {
            throw ValueCopyRule.notStorable(where, value.getClass().getName());
        }
        if (object.$jpmemSpace() != this) {
            throw new IllegalArgumentException(where + ": the object lives in another heap ("
                    + object.$jpmemSpace().heap.path() + ")");
        }
        return object.$jpmemRef();
    }

    /** The space where {@code new} allocates now. */
    static ObjectSpace forAllocation(Class<?> type) {
        List<PersistentHeap> inTransaction = HeapSpi.heapsInTransactionOnThisThread();
        if (inTransaction.size() == 1) {
            return of(inTransaction.get(0));
        }
        if (inTransaction.size() > 1) {
            throw new IllegalStateException("new " + type.getName() + ": this thread has transactions on "
                    + inTransaction.size() + " heaps; which one to allocate in is ambiguous");
        }
        ObjectSpace space = defaultSpace;
        if (space == null) {
            space = DefaultHeap.open().orElseThrow(() -> new IllegalStateException("new " + type.getName()
                    + " outside a transaction and with no default heap: begin a transaction on a heap, call"
                    + " ObjectSpace.setDefault(heap), or run with -Djpmem.heap=PATH"));
        }
        return space;
    }

    // ---- reference slots of any type: persistent objects by reference, values by copy

    /**
     * {@return what a reference slot holding {@code ref} reads as} The canonical handle of a
     * persistent object; a new {@code String}, {@code byte[]} or boxed primitive equal to a value
     * copy; null for 0. This is how fields of a type variable, {@code Object} or an interface type,
     * and the persistent collections, read their slots.
     */
    public Object load(long ref) {
        if (ref == 0) {
            return null;
        }
        Class<?> valueClass = copies.valueClassAt(ref);
        return valueClass != null ? copies.read(ref, valueClass) : handle(ref, Object.class);
    }

    /**
     * {@return the reference to write into a slot for {@code value}} A persistent object of this
     * space is stored by reference; a {@code String}, {@code byte[]} or boxed primitive is copied into
     * a new immutable block allocated in {@code tx}, owned by the slot it is written to (free it with
     * {@link #release} when the slot is overwritten); null is 0.
     *
     * @param where names the slot in the error message, e.g. "Order.customer"
     * @throws IllegalArgumentException if {@code value} is neither a persistent object of this heap
     *     nor a value class
     */
    public long store(Transaction tx, Object value, String where) {
        if (value == null) {
            return 0;
        }
        if (ValueCopyRule.isValueClass(value.getClass())) {
            return copies.copy(tx, value);
        }
        return refOf(value, where);
    }

    /**
     * Refuses, before anything is written, a value that {@link #store} would refuse: one that is
     * neither null, a value class ({@link ValueCopyRule}) nor a persistent object of this space.
     *
     * @param where names the slot in the error message, e.g. "PList element"
     * @throws IllegalArgumentException naming {@code where} and the value's class
     */
    public void requireStorable(Object value, String where) {
        if (value != null && !ValueCopyRule.isValueClass(value.getClass())) {
            refOf(value, where);
        }
    }

    /**
     * Frees the block at {@code ref} in {@code tx} if it is a value copy (which belongs to the slot
     * that held it); a persistent object, or 0, is left alone.
     */
    public void release(Transaction tx, long ref) {
        if (ref != 0 && copies.valueClassAt(ref) != null) {
            tx.free(ref);
        }
    }

    /**
     * Points the reference slot at {@code at} to {@code value} (see {@link #store}) and frees the value
     * copy it held before, in the thread's transaction on this heap or atomically in one of its own.
     * A value that can be stored neither way is refused before anything is written.
     */
    void replaceSlot(long at, Object value, String where) {
        requireStorable(value, where);
        java.util.function.Consumer<Transaction> body = tx -> {
            long old = heap.getRef(at);
            tx.putRef(at, store(tx, value, where));
            release(tx, old);
        };
        HeapSpi.inTransaction(heap, body);
    }

    /**
     * Overwrites, in place and logged in {@code tx}, the value copy at {@code ref} with {@code value}
     * when both are the same boxed primitive class: a slot that owns its copy can then change its value
     * without allocating a new copy and freeing the old one (one logged 8-byte store instead of an
     * allocation, a free and a store). Strings, byte arrays, persistent objects and null are never
     * overwritten in place.
     *
     * @return whether it did; if not, nothing was written and the caller stores a new copy
     */
    public boolean overwriteValueCopy(Transaction tx, long ref, Object value) {
        if (ref == 0 || value == null || value instanceof String || value instanceof byte[]
                || !ValueCopyRule.isValueClass(value.getClass()) || copies.valueClassAt(ref) != value.getClass()) {
            return false;
        }
        tx.putLong(ref, ValueCopies.bitsOf(value));
        return true;
    }

    /**
     * Frees the block of a persistent object of this space in {@code tx} and drops its canonical
     * handle, so a later block at the same reference never comes back as this object. What the
     * object refers to is not freed: a collection empties itself first (see their {@code free()}).
     * After the call the handle must not be used.
     *
     * @throws IllegalArgumentException if {@code object} is not a persistent object of this heap
     */
    public void free(Transaction tx, Object object) {
        long ref = refOf(object, "free");
        if (ref != 0) {
            tx.free(ref);
            handles.remove(ref);
        }
    }

    /** {@return whether the block at {@code ref} is a value copy rather than a persistent object} */
    public boolean isValueCopy(long ref) {
        return ref != 0 && copies.valueClassAt(ref) != null;
    }

    /**
     * {@return the block reference of a persistent object of this space, or 0 for null}
     *
     * @throws IllegalArgumentException if {@code value} is not a persistent object of this heap
     */
    public long refOf(Object value) {
        return refOf(value, "value");
    }

    /** {@return the recorded type of an enhanced class, registered on first use} */
    HeapType typeOf(Class<?> type) {
        HeapType known = types.get(type);
        if (known != null) {
            return known;
        }
        HeapType registered = heap.types().register(layoutOf(type));
        types.put(type, registered);
        classesByName.put(type.getName(), type);
        return registered;
    }

    /**
     * Allocates a zeroed instance of an enhanced class without running any of its constructors: the
     * {@code pnew}-style factory for reflective use. Allocates in the transaction in progress on this
     * thread on this heap, or in a transaction of its own.
     *
     * @throws IllegalArgumentException if {@code type} is not an enhanced {@code @Persistent} class
     */
    public <T> T allocate(Class<T> type) {
        if (!PersistentObject.class.isAssignableFrom(type) || PersistentArray.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is not an enhanced @Persistent class");
        }
        HeapType heapType = typeOf(type);
        long ref = HeapSpi.inTransactionLong(heap, tx -> tx.allocate(heapType));
        handles.remove(ref); // a handle of a freed block at the same reference must not be reused
        return type.cast(handle(ref, type));
    }

    /**
     * {@return the block layout of a persistent class} What its static {@code $jpmem$layout()} returns
     * (generated by the enhancer, written by hand in the collections; see {@link EnhancerAbi}); for the
     * persistent arrays, their element kind.
     *
     * @throws IllegalStateException if the class has no layout method, or its layout names another class
     */
    static TypeLayout layoutOf(Class<?> type) {
        if (PersistentArray.class.isAssignableFrom(type)) {
            return PersistentArray.layoutOf(type);
        }
        TypeLayout layout;
        try {
            java.lang.reflect.Method method = type.getDeclaredMethod(EnhancerAbi.LAYOUT_METHOD);
            if (method.getReturnType() != TypeLayout.class || !java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                throw new IllegalStateException(type.getName() + "." + EnhancerAbi.LAYOUT_METHOD + "() is not static "
                        + TypeLayout.class.getSimpleName() + " (enhanced by an older jpmem? enhance it again)");
            }
            method.setAccessible(true); // the class may be package-private
            layout = (TypeLayout) method.invoke(null);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " is not an enhanced @Persistent class", e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(inaccessible(type, e), e);
        }
        if (!layout.className().equals(type.getName())) {
            throw new IllegalStateException(type.getName() + "." + EnhancerAbi.LAYOUT_METHOD + "() describes "
                    + layout.className());
        }
        return layout;
    }

    private static String inaccessible(Class<?> type, Exception e) {
        return "cannot use the persistent class " + type.getName() + " (" + e + ")"
                + (type.getModule().isNamed() ? "; its module must open " + type.getPackageName() + " to io.jpmem.objects" : "");
    }

    /** The wrapping constructor {@code (Wrap, ObjectSpace, long)} of each persistent class, as a handle. */
    private static final ClassValue<MethodHandle> WRAPPERS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                java.lang.reflect.Constructor<?> constructor = type.getDeclaredConstructor(Wrap.class, ObjectSpace.class, long.class);
                constructor.setAccessible(true); // the class may be package-private
                return MethodHandles.lookup().unreflectConstructor(constructor)
                        .asType(MethodType.methodType(Object.class, Wrap.class, ObjectSpace.class, long.class));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(type.getName() + " is not an enhanced @Persistent class", e);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException(inaccessible(type, e), e);
            }
        }
    };

    /** {@return the canonical handle of the block at {@code ref}, or null for 0} */
    Object handle(long ref, Class<?> expected) {
        if (ref == 0) {
            return null;
        }
        Object handle = handles.get(ref);
        return handle != null ? handle : handles.getOrCreate(ref, r -> wrap(r, expected));
    }

    void registerNew(Object handle, long ref) {
        handles.put(ref, handle);
    }

    private Object wrap(long ref, Class<?> expected) {
        HeapType type = heap.types().get(heap.blockTypeId(ref));
        try {
            Class<?> actual = classesByName.get(type.layout().className());
            if (actual == null) {
                ClassLoader loader = expected.getClassLoader() != null ? expected.getClassLoader()
                        : Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                        : ClassLoader.getSystemClassLoader();
                actual = Class.forName(type.layout().className(), false, loader);
            }
            HeapType current = typeOf(actual); // same fingerprint, or SchemaMismatchException
            if (current.id() != type.id()) {
                throw new IllegalStateException("block " + ref + " has type " + type.id() + ", class " + actual.getName()
                        + " is type " + current.id());
            }
            return WRAPPERS.get(actual).invoke(Wrap.token(), this, ref);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("block " + ref + " is a " + type.layout().className()
                    + ", which is not on the class path", e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot wrap block " + ref + " as " + type.layout().className(), t);
        }
    }
}
