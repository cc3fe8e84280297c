package io.jpmem.objects;

/**
 * Implemented by every enhanced class: a handle on one persistent block. Added by the enhancer;
 * application code never implements it (hand-written persistent classes do, through
 * {@code io.jpmem.objects.spi}).
 */
public interface PersistentObject {

    /** {@return the block's reference in its heap} */
    long $jpmemRef();

    /** {@return the object space (heap) the block lives in} */
    ObjectSpace $jpmemSpace();

    /**
     * Binds a handle to its block; called once per handle, by the runtime, which alone holds the token.
     *
     * @throws IllegalArgumentException if {@code wrap} is not the runtime's token ({@link Wrap#check})
     */
    void $jpmemBind(Wrap wrap, ObjectSpace space, long ref);
}
