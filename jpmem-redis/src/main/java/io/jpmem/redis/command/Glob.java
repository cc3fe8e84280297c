package io.jpmem.redis.command;

/**
 * Redis's glob-style matching (stringmatchlen): {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]},
 * and {@code \} to escape; on bytes, optionally ignoring ASCII case. Used by KEYS, SCAN MATCH and
 * CONFIG GET.
 */
public final class Glob {

    private Glob() {}

    public static boolean matches(byte[] pattern, byte[] text, boolean noCase) {
        return match(pattern, 0, text, 0, noCase, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean noCase, int depth) {
        if (depth > 1000) {
            return false; // pathological patterns: Redis bounds the nesting too
        }
        while (pi < p.length) {
            switch (p[pi]) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k, noCase, depth + 1)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?' -> {
                    if (si >= s.length) {
                        return false;
                    }
                    si++;
                }
                case '[' -> {
                    if (si >= s.length) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean found = false;
                    while (pi < p.length && p[pi] != ']') {
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            found |= same(p[pi], s[si], noCase);
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int lo = p[pi] & 0xff;
                            int hi = p[pi + 2] & 0xff;
                            if (lo > hi) {
                                int t = lo;
                                lo = hi;
                                hi = t;
                            }
                            int c = s[si] & 0xff;
                            if (noCase) {
                                lo = Character.toLowerCase(lo);
                                hi = Character.toLowerCase(hi);
                                c = Character.toLowerCase(c);
                            }
                            found |= c >= lo && c <= hi;
                            pi += 2;
                        } else {
                            found |= same(p[pi], s[si], noCase);
                        }
                        pi++;
                    }
                    if (found == not) {
                        return false;
                    }
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    if (si >= s.length || !same(p[pi], s[si], noCase)) {
                        return false;
                    }
                    si++;
                }
                default -> {
                    if (si >= s.length || !same(p[pi], s[si], noCase)) {
                        return false;
                    }
                    si++;
                }
            }
            pi++;
        }
        return si == s.length;
    }

    private static boolean same(byte a, byte b, boolean noCase) {
        return a == b || noCase && Character.toLowerCase(a & 0xff) == Character.toLowerCase(b & 0xff);
    }
}
