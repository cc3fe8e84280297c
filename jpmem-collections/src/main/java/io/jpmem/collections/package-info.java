/**
 * Persistent collections: each is a {@link io.jpmem.objects.RawPersistentObject} whose header block
 * can be stored in fields of {@code @Persistent} classes and in roots, whose inner loops walk raw
 * heap offsets, and whose every mutating operation is atomic (in the caller's transaction or in
 * one of its own). Keys and values are persistent objects (by reference) or values copied in
 * ({@code String}, {@code byte[]}, boxed primitives; see {@link io.jpmem.objects.ObjectSpace#store}).
 */
package io.jpmem.collections;
