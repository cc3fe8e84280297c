package io.jpmem.objects;

/**
 * The token the runtime passes to the wrapping constructor of each persistent class,
 * {@code (Wrap, ObjectSpace, long)}, and to {@link PersistentObject#$jpmemBind}: proof that the call
 * comes from the object runtime, which alone makes handles for existing blocks (one canonical handle
 * per block). There is exactly one instance and it never leaves this package; {@link #check} refuses
 * anything else, null included, so {@code new PHashMap<>(null, space, anyOffset)} throws instead of
 * making a second, non-canonical handle on an arbitrary block.
 */
public final class Wrap {

    private static final Wrap TOKEN = new Wrap();

    private Wrap() {}

    /** {@return the token} For the runtime's own classes in this package. */
    static Wrap token() {
        return TOKEN;
    }

    /**
     * Refuses a token that is not the runtime's: what every wrapping constructor and
     * {@code $jpmemBind} runs first.
     *
     * @throws IllegalArgumentException if {@code wrap} is null or not the runtime's token
     */
    public static void check(Wrap wrap) {
        if (wrap != TOKEN) {
            throw new IllegalArgumentException(wrap == null
                    ? "a null Wrap: only the object runtime wraps existing blocks (read them through fields, roots or ObjectSpace)"
                    : "a forged Wrap: only the object runtime wraps existing blocks (read them through fields, roots or ObjectSpace)");
        }
    }
}
