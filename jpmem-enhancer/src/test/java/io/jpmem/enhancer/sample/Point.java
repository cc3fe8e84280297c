package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

/** A persistent record: immutable, its components in the block. */
@Persistent
public record Point(long x, long y, String label) {}
