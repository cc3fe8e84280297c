package io.jpmem.redis.command;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * The global table of EVAL's interpreter, read-only once {@link #lock locked} as in Redis 7.0:
 * every store (an assignment, {@code rawset}, {@code setmetatable}) raises "Attempt to modify a
 * readonly table", and reading a global that does not exist raises "Script attempted to access
 * nonexistent global variable". The library tables it holds are replaced by read-only copies
 * ({@link ReadOnlyTable}). {@link #setInternal} is the server's own way past the guard (KEYS, ARGV).
 */
final class SandboxGlobals extends Globals {

    static final String READONLY = "Attempt to modify a readonly table";
    private boolean locked;

    /** Makes this table and the library tables in it read-only, and unknown globals an error. */
    void lock() {
        for (LuaValue name : keys()) {
            LuaValue value = rawget(name);
            if (value.istable() && value != this) {
                rawset(name, ReadOnlyTable.copyOf((LuaTable) value));
            }
        }
        LuaTable meta = new LuaTable();
        meta.rawset("__index", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue table, LuaValue key) {
                throw new LuaError("Script attempted to access nonexistent global variable '" + key.tojstring() + "'");
            }
        });
        super.setmetatable(meta);
        locked = true;
    }

    /** Sets a global past the read-only guard. */
    void setInternal(String name, LuaValue value) {
        super.rawset(LuaValue.valueOf(name), value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        if (locked) {
            throw new LuaError(READONLY);
        }
        super.rawset(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        if (locked) {
            throw new LuaError(READONLY);
        }
        super.rawset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        if (locked) {
            throw new LuaError(READONLY);
        }
        return super.setmetatable(metatable);
    }

    /** A table that refuses every store (a library table seen by scripts). */
    static final class ReadOnlyTable extends LuaTable {
        private boolean locked;

        static ReadOnlyTable copyOf(LuaTable source) {
            ReadOnlyTable copy = new ReadOnlyTable();
            for (LuaValue key : source.keys()) {
                copy.rawset(key, source.rawget(key));
            }
            copy.locked = true;
            return copy;
        }

        @Override
        public void rawset(LuaValue key, LuaValue value) {
            if (locked) {
                throw new LuaError(READONLY);
            }
            super.rawset(key, value);
        }

        @Override
        public void rawset(int key, LuaValue value) {
            if (locked) {
                throw new LuaError(READONLY);
            }
            super.rawset(key, value);
        }

        @Override
        public LuaValue setmetatable(LuaValue metatable) {
            if (locked) {
                throw new LuaError(READONLY);
            }
            return super.setmetatable(metatable);
        }
    }
}
