package io.jpmem.redis.command;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code bit} library Redis scripts have (LuaBitOp's functions and results): operations on
 * 32-bit two's complement integers, results signed ({@code bit.bnot(0) == -1}), arguments reduced
 * modulo 2^32 after rounding to an integer.
 */
final class LuaBitLibrary {

    private LuaBitLibrary() {}

    private interface Op {
        int apply(Varargs args);
    }

    static LuaTable create() {
        LuaTable bit = new LuaTable();
        put(bit, "tobit", a -> int32(a, 1));
        put(bit, "bnot", a -> ~int32(a, 1));
        put(bit, "band", a -> fold(a, (x, y) -> x & y));
        put(bit, "bor", a -> fold(a, (x, y) -> x | y));
        put(bit, "bxor", a -> fold(a, (x, y) -> x ^ y));
        put(bit, "lshift", a -> int32(a, 1) << (int32(a, 2) & 31));
        put(bit, "rshift", a -> int32(a, 1) >>> (int32(a, 2) & 31));
        put(bit, "arshift", a -> int32(a, 1) >> (int32(a, 2) & 31));
        put(bit, "rol", a -> Integer.rotateLeft(int32(a, 1), int32(a, 2) & 31));
        put(bit, "ror", a -> Integer.rotateRight(int32(a, 1), int32(a, 2) & 31));
        put(bit, "bswap", a -> Integer.reverseBytes(int32(a, 1)));
        bit.set("tohex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                int x = int32(args, 1);
                int n = args.isnoneornil(2) ? 8 : int32(args, 2);
                boolean upper = n < 0;
                n = Math.min(8, Math.abs(n));
                String hex = String.format(upper ? "%08X" : "%08x", x);
                return LuaValue.valueOf(hex.substring(8 - n));
            }
        });
        return bit;
    }

    private static void put(LuaTable bit, String name, Op op) {
        bit.set(name, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.valueOf(op.apply(args));
            }
        });
    }

    private static int fold(Varargs args, java.util.function.IntBinaryOperator op) {
        int x = int32(args, 1);
        for (int i = 2; i <= args.narg(); i++) {
            x = op.applyAsInt(x, int32(args, i));
        }
        return x;
    }

    private static int int32(Varargs args, int i) {
        LuaValue v = args.arg(i);
        if (!v.isnumber()) {
            throw new LuaError("bad argument #" + i + " (number expected, got " + v.typename() + ")");
        }
        double d = Math.rint(v.todouble());
        return (int) (long) (d % 4294967296.0);
    }
}
