package io.jpmem.objects;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose instances live in a persistent heap. The enhancer (jpmem-enhancer, at load
 * time with its {@code -javaagent}) moves the class's instance fields into a persistent block,
 * turns every read and write of them into a load from or a barriered store to that block, and
 * makes {@code new} allocate the block. Static and transient fields stay ordinary Java fields.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Persistent {}
