package io.jpmem.heap;

/**
 * A type recorded in a heap's type table.
 *
 * @param id the type id stored in block headers: 1, 2, 3, ... in order of registration; never reused
 * @param layout the recorded layout
 * @param fingerprint {@code layout.fingerprint()} as recorded
 */
public record HeapType(int id, TypeLayout layout, long fingerprint) {}
