package io.jpmem.redis.rdb;

import java.util.List;

/**
 * One key's value as an RDB file holds it, whatever encoding it was stored in (a listpack, a
 * ziplist, an intset and a plain sequence all read as the same value): the format-neutral form the
 * reader produces and the writer consumes. Integers stored in integer encodings are given as their
 * decimal text, as Redis gives them to clients.
 */
public sealed interface RdbValue {

    /** {@return how many elements (1 for a string)} */
    long size();

    /** A string. */
    record Str(byte[] value) implements RdbValue {
        @Override
        public long size() {
            return 1;
        }
    }

    /** A list, head first. */
    record ListOf(List<byte[]> elements) implements RdbValue {
        @Override
        public long size() {
            return elements.size();
        }
    }

    /** A set. */
    record SetOf(List<byte[]> members) implements RdbValue {
        @Override
        public long size() {
            return members.size();
        }
    }

    /** A hash: its fields with their values. */
    record HashOf(List<Field> fields) implements RdbValue {
        @Override
        public long size() {
            return fields.size();
        }
    }

    /** A sorted set: its members with their scores. */
    record SortedSetOf(List<Scored> members) implements RdbValue {
        @Override
        public long size() {
            return members.size();
        }
    }

    /** A hash field and its value. */
    record Field(byte[] name, byte[] value) {}

    /** A sorted-set member and its score. */
    record Scored(byte[] member, double score) {}
}
