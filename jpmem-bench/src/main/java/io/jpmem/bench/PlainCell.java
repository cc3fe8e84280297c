package io.jpmem.bench;

/** The same shape as {@link Cell}, as an ordinary Java object. */
public final class PlainCell {
    long value;
    PlainCell next;

    PlainCell(long value, PlainCell next) {
        this.value = value;
        this.next = next;
    }
}
