package io.jpmem.objects;

/**
 * Implemented by every enhanced class: a handle on one persistent block. Added by the enhancer;
 * application code never implements it.
 */
public interface PersistentObject {

    /** {@return the block's reference in its heap} */
    long $jpmemRef();

    /** {@return the object space (heap) the block lives in} */
    ObjectSpace $jpmemSpace();

    /** Binds a new handle to its block; called once, by the runtime. */
    void $jpmemBind(ObjectSpace space, long ref);
}
