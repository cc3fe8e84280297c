/**
 * Persistent collections: {@code PString}, {@code PBytes}, {@code PList}, {@code PDeque},
 * {@code PHashMap}, {@code PHashSet} and {@code PSortedMap}. Each is a persistent object (its
 * header block can be stored in fields of {@code @Persistent} classes and in roots) that implements
 * the matching {@code java.util} interface; the maps, sets and lists extend the JDK's abstract
 * collections, and each implements {@link io.jpmem.objects.PersistentObject} by forwarding to a
 * {@link io.jpmem.objects.spi.PersistentHandle} (so no public type here has a supertype of the
 * runtime's SPI). Their inner loops walk raw heap offsets, and every
 * mutating operation is atomic (in the caller's transaction or in one of its own). Keys and values
 * are persistent objects (by reference) or values copied in ({@code String}, {@code byte[]}, boxed
 * primitives; see {@link io.jpmem.objects.ObjectSpace#store}). See docs/collections/.
 */
package io.jpmem.collections;
