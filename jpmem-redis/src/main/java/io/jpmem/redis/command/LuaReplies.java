package io.jpmem.redis.command;

import io.jpmem.redis.protocol.RespWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Redis's conversions between replies and Lua values, both ways.
 *
 * <p>Reply to Lua ({@link #parse}, what {@code redis.call} returns): integer → number, bulk →
 * string, null bulk or null array → {@code false}, status → {@code {ok=...}}, error →
 * {@code {err=...}}, array → table; in RESP3 also null → {@code nil}, boolean → boolean, double →
 * {@code {double=...}}, map → {@code {map={...}}}, set → {@code {set={v=true}}}, big number →
 * {@code {big_number=...}}, verbatim string → {@code {verbatim_string={format=..., string=...}}}.
 *
 * <p>Lua to reply ({@link #toReply}, what a script returns): string → bulk, number → integer
 * (truncated, as C's cast: out of range and NaN give the smallest 64-bit integer), {@code true} →
 * 1 and {@code false} → null (RESP2 scripts) or booleans (after {@code redis.setresp(3)}), tables
 * with {@code err}/{@code ok}/{@code double}/{@code big_number}/{@code map}/{@code set} fields as
 * above, any other table → array up to its first {@code nil}, anything else → null.
 */
final class LuaReplies {

    private LuaReplies() {}

    /** {@return a table of one field} */
    static LuaTable single(String field, String value) {
        LuaTable t = new LuaTable();
        t.set(field, LuaValue.valueOf(value));
        return t;
    }

    /**
     * {@return Redis's error table for an error reply {@code -CODE message} (or a message without
     * the dash, which gets the code ERR): {@code {err="CODE message"}}; a reply of one word gets ERR}
     */
    static LuaTable errorTable(String reply) {
        String code = "ERR";
        String message = reply;
        if (reply.startsWith("-")) {
            int space = reply.indexOf(' ');
            if (space < 0) {
                message = reply.substring(1);
            } else {
                code = reply.substring(1, space);
                message = reply.substring(space + 1);
            }
        }
        return single("err", code + " " + message.replaceAll("^[\r\n]+|[\r\n]+$", ""));
    }

    /** {@return a Lua array of the byte strings} */
    static LuaTable arrayOf(List<byte[]> values) {
        LuaTable t = new LuaTable(values.size(), 0);
        for (int i = 0; i < values.size(); i++) {
            t.rawset(i + 1, LuaString.valueOf(values.get(i)));
        }
        return t;
    }

    /** {@return the bytes of a Lua string} */
    static byte[] bytes(LuaString s) {
        byte[] bytes = new byte[s.rawlen()];
        s.copyInto(0, bytes, 0, bytes.length);
        return bytes;
    }

    /** {@return a number as Redis passes it to a command from a script: C's {@code %.17g}} */
    static String numberText(double d) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(17, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            String digits = rounded.unscaledValue().abs().toString().replaceAll("0+$", "");
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    /** {@return a double as C's {@code (long long)} cast on x86-64 makes it} */
    static long truncate(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    // ---- reply → Lua

    /** {@return the reply in {@code resp} (one complete reply) as a Lua value} */
    static LuaValue parse(byte[] resp) {
        return new Parser(resp).value();
    }

    private static final class Parser {
        private final byte[] in;
        private int at;

        Parser(byte[] in) {
            this.in = in;
        }

        private String line() {
            int start = at;
            while (in[at] != '\r') {
                at++;
            }
            String s = new String(in, start, at - start, StandardCharsets.UTF_8);
            at += 2;
            return s;
        }

        private LuaString bulk(int length) {
            LuaString s = LuaString.valueOf(java.util.Arrays.copyOfRange(in, at, at + length));
            at += length + 2;
            return s;
        }

        LuaValue value() {
            byte type = in[at++];
            switch (type) {
                case '+': return single("ok", line());
                case '-': return errorTable("-" + line());
                case ':': return LuaValue.valueOf(Long.parseLong(line()));
                case '_': line(); return LuaValue.NIL;
                case '#': return LuaValue.valueOf(line().equals("t"));
                case ',': {
                    LuaTable t = new LuaTable();
                    t.set("double", LuaValue.valueOf(parseDouble(line())));
                    return t;
                }
                case '(': return single("big_number", line());
                case '$': {
                    int n = Integer.parseInt(line());
                    return n < 0 ? LuaValue.FALSE : bulk(n);
                }
                case '=': {
                    LuaString s = bulk(Integer.parseInt(line()));
                    LuaTable v = new LuaTable();
                    v.set("format", s.substring(0, 3));
                    v.set("string", s.substring(4, s.rawlen()));
                    LuaTable t = new LuaTable();
                    t.set("verbatim_string", v);
                    return t;
                }
                case '*':
                case '>': {
                    int n = Integer.parseInt(line());
                    if (n < 0) {
                        return LuaValue.FALSE;
                    }
                    LuaTable t = new LuaTable(n, 0);
                    for (int i = 1; i <= n; i++) {
                        t.set(i, value());
                    }
                    return t;
                }
                case '%': {
                    int n = Integer.parseInt(line());
                    LuaTable map = new LuaTable();
                    for (int i = 0; i < n; i++) {
                        LuaValue k = value();
                        map.set(k, value());
                    }
                    LuaTable t = new LuaTable();
                    t.set("map", map);
                    return t;
                }
                case '~': {
                    int n = Integer.parseInt(line());
                    LuaTable set = new LuaTable();
                    for (int i = 0; i < n; i++) {
                        set.set(value(), LuaValue.TRUE);
                    }
                    LuaTable t = new LuaTable();
                    t.set("set", set);
                    return t;
                }
                default:
                    throw new IllegalStateException("unexpected reply type " + (char) type);
            }
        }

        private static double parseDouble(String s) {
            return switch (s) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                case "nan", "-nan" -> Double.NaN;
                default -> Double.parseDouble(s);
            };
        }
    }

    // ---- Lua → reply

    /** Writes what a script returned as its reply; {@code scriptResp} is the script's {@code redis.setresp}. */
    static void toReply(LuaValue v, RespWriter w, int scriptResp) {
        switch (v.type()) {
            case LuaValue.TSTRING -> w.bulk(bytes(v.checkstring()));
            case LuaValue.TBOOLEAN -> {
                if (scriptResp == 2) {
                    if (v.toboolean()) {
                        w.integer(1);
                    } else {
                        w.nullBulk();
                    }
                } else {
                    w.bool(v.toboolean());
                }
            }
            case LuaValue.TNUMBER -> w.integer(truncate(v.todouble()));
            case LuaValue.TTABLE -> table((LuaTable) v, w, scriptResp);
            default -> w.nullBulk();
        }
    }

    private static void table(LuaTable t, RespWriter w, int scriptResp) {
        LuaValue err = t.rawget("err");
        if (err.type() == LuaValue.TSTRING) {
            w.error(err.tojstring());
            return;
        }
        LuaValue ok = t.rawget("ok");
        if (ok.type() == LuaValue.TSTRING) {
            w.simple(ok.tojstring());
            return;
        }
        LuaValue dbl = t.rawget("double");
        if (dbl.type() == LuaValue.TNUMBER) {
            w.dbl(numberText(dbl.todouble()));
            return;
        }
        LuaValue big = t.rawget("big_number");
        if (big.type() == LuaValue.TSTRING) {
            w.bigNumber(big.tojstring());
            return;
        }
        LuaValue map = t.rawget("map");
        if (map.istable()) {
            LuaTable m = (LuaTable) map;
            LuaValue[] keys = m.keys();
            w.map(keys.length);
            for (LuaValue k : keys) {
                toReply(k, w, scriptResp);
                toReply(m.rawget(k), w, scriptResp);
            }
            return;
        }
        LuaValue set = t.rawget("set");
        if (set.istable()) {
            LuaValue[] keys = ((LuaTable) set).keys();
            w.set(keys.length);
            for (LuaValue k : keys) {
                toReply(k, w, scriptResp);
            }
            return;
        }
        int n = 0;
        while (!t.rawget(n + 1).isnil()) {
            n++;
        }
        w.array(n);
        for (int i = 1; i <= n; i++) {
            toReply(t.rawget(i), w, scriptResp);
        }
    }

    /** {@return the first value of a call's results} */
    static LuaValue first(Varargs v) {
        return v.arg1();
    }
}
