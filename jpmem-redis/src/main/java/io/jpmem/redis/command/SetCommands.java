package io.jpmem.redis.command;

import static io.jpmem.redis.command.CollectionCommands.data;
import static io.jpmem.redis.command.CollectionCommands.deleteIfEmpty;
import static io.jpmem.redis.command.CollectionCommands.existing;
import static io.jpmem.redis.command.CollectionCommands.orCreate;
import static io.jpmem.redis.command.CollectionCommands.spec;
import static io.jpmem.redis.command.CommandSpec.Flag.DENY_OOM;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.WRITE;

import io.jpmem.collections.PHashSet;
import io.jpmem.redis.protocol.RespWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** The set commands, on {@code PHashSet<byte[]>}. */
public final class SetCommands {

    private SetCommands() {}

    @SuppressWarnings("rawtypes")
    private static final Class<PHashSet> SET = PHashSet.class;

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> write = EnumSet.of(WRITE, DENY_OOM, FAST);
        EnumSet<CommandSpec.Flag> read = EnumSet.of(READONLY, FAST);
        table.add(spec("sadd", -3, write, 1, 1, 1, SetCommands::sadd))
                .add(spec("srem", -3, EnumSet.of(WRITE, FAST), 1, 1, 1, SetCommands::srem))
                .add(spec("sismember", 3, read, 1, 1, 1, r -> {
                    PHashSet<byte[]> s = set(r, r.arg(1));
                    r.reply().integer(s != null && s.contains(r.arg(2)) ? 1 : 0);
                }))
                .add(spec("smismember", -3, read, 1, 1, 1, r -> {
                    PHashSet<byte[]> s = set(r, r.arg(1));
                    RespWriter w = r.reply().array(r.argc() - 2);
                    for (int i = 2; i < r.argc(); i++) {
                        w.integer(s != null && s.contains(r.arg(i)) ? 1 : 0);
                    }
                }))
                .add(spec("scard", 2, read, 1, 1, 1, r -> {
                    PHashSet<byte[]> s = set(r, r.arg(1));
                    r.reply().integer(s == null ? 0 : s.size());
                }))
                .add(spec("smembers", 2, EnumSet.of(READONLY), 1, 1, 1, r -> reply(r, members(set(r, r.arg(1))))))
                .add(spec("spop", -2, EnumSet.of(WRITE, FAST), 1, 1, 1, SetCommands::spop))
                .add(spec("srandmember", -2, EnumSet.of(READONLY), 1, 1, 1, SetCommands::srandmember))
                .add(spec("smove", 4, EnumSet.of(WRITE, FAST), 1, 2, 1, SetCommands::smove))
                .add(spec("sinter", -2, EnumSet.of(READONLY), 1, -1, 1, r -> reply(r, combine(r, 1, Op.INTER))))
                .add(spec("sunion", -2, EnumSet.of(READONLY), 1, -1, 1, r -> reply(r, combine(r, 1, Op.UNION))))
                .add(spec("sdiff", -2, EnumSet.of(READONLY), 1, -1, 1, r -> reply(r, combine(r, 1, Op.DIFF))))
                .add(spec("sinterstore", -3, EnumSet.of(WRITE, DENY_OOM), 1, -1, 1, r -> store(r, Op.INTER)))
                .add(spec("sunionstore", -3, EnumSet.of(WRITE, DENY_OOM), 1, -1, 1, r -> store(r, Op.UNION)))
                .add(spec("sdiffstore", -3, EnumSet.of(WRITE, DENY_OOM), 1, -1, 1, r -> store(r, Op.DIFF)))
                .add(spec("sscan", -3, EnumSet.of(READONLY), 1, 1, 1, SetCommands::sscan));
    }

    private enum Op { INTER, UNION, DIFF }

    @SuppressWarnings("unchecked")
    private static PHashSet<byte[]> set(Request r, byte[] key) {
        return existing(r, key, SET);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void sscan(Request r) {
        CollectionCommands.<PHashSet, byte[]>scan(r, SET, s -> ((PHashSet<byte[]>) s)::scan, m -> m, 1, RespWriter::bulk);
    }

    @SuppressWarnings("unchecked")
    private static PHashSet<byte[]> setOrCreate(Request r, byte[] key) {
        return orCreate(r, key, SET, PHashSet::new);
    }

    private static void sadd(Request r) {
        PHashSet<byte[]> s = setOrCreate(r, r.arg(1));
        int added = 0;
        for (int i = 2; i < r.argc(); i++) {
            if (s.add(r.arg(i))) {
                added++;
            }
        }
        if (added > 0) {
            r.modified(r.arg(1));
        }
        r.reply().integer(added);
    }

    private static void srem(Request r) {
        PHashSet<byte[]> s = set(r, r.arg(1));
        int removed = 0;
        if (s != null) {
            for (int i = 2; i < r.argc(); i++) {
                if (s.remove(r.arg(i))) {
                    removed++;
                }
            }
            deleteIfEmpty(r, r.arg(1), s.isEmpty());
        }
        if (removed > 0) {
            r.modified(r.arg(1));
        }
        r.reply().integer(removed);
    }

    private static List<byte[]> members(PHashSet<byte[]> s) {
        return s == null ? List.of() : new ArrayList<>(s);
    }

    private static void reply(Request r, java.util.Collection<byte[]> members) {
        RespWriter w = r.reply().set(members.size());
        members.forEach(w::bulk);
    }

    /** {@return {@code count} distinct random members (all if fewer)} */
    private static List<byte[]> sample(PHashSet<byte[]> s, long count) {
        List<byte[]> all = new ArrayList<>(s);
        java.util.Collections.shuffle(all, ThreadLocalRandom.current());
        return all.subList(0, (int) Math.min(count, all.size()));
    }

    private static void spop(Request r) {
        if (r.argc() > 3) {
            throw CommandError.syntax();
        }
        PHashSet<byte[]> s = set(r, r.arg(1));
        if (r.argc() == 2) {
            if (s == null) {
                r.reply().nullBulk();
                return;
            }
            byte[] member = sample(s, 1).get(0);
            s.remove(member);
            r.propagateAs(List.of("SREM".getBytes(java.nio.charset.StandardCharsets.US_ASCII), r.arg(1), member));
            deleteIfEmpty(r, r.arg(1), s.isEmpty());
            r.modified(r.arg(1));
            r.reply().bulk(member);
            return;
        }
        long count = CollectionCommands.positive(r, 2);
        if (s == null) {
            r.reply().set(0);
            return;
        }
        List<byte[]> popped = sample(s, count);
        popped.forEach(s::remove);
        List<byte[]> srem = new java.util.ArrayList<>(List.of("SREM".getBytes(java.nio.charset.StandardCharsets.US_ASCII), r.arg(1)));
        srem.addAll(popped);
        r.propagateAs(srem); // replicas remove what was drawn here, not a draw of their own
        deleteIfEmpty(r, r.arg(1), s.isEmpty());
        if (!popped.isEmpty()) {
            r.modified(r.arg(1));
        }
        reply(r, popped);
    }

    private static void srandmember(Request r) {
        if (r.argc() > 3) {
            throw CommandError.syntax();
        }
        PHashSet<byte[]> s = set(r, r.arg(1));
        if (r.argc() == 2) {
            r.reply().bulk(s == null ? null : sample(s, 1).get(0));
            return;
        }
        long count = r.longArg(2);
        if (s == null) {
            r.reply().array(0);
            return;
        }
        if (count >= 0) {
            List<byte[]> picked = sample(s, count);
            RespWriter w = r.reply().array(picked.size());
            picked.forEach(w::bulk);
        } else {
            List<byte[]> all = new ArrayList<>(s);
            RespWriter w = r.reply().array((int) -count);
            for (long i = 0; i < -count; i++) {
                w.bulk(all.get(ThreadLocalRandom.current().nextInt(all.size())));
            }
        }
    }

    private static void smove(Request r) {
        PHashSet<byte[]> source = set(r, r.arg(1));
        PHashSet<byte[]> target = set(r, r.arg(2)); // WRONGTYPE before anything moves
        if (source == null || !source.contains(r.arg(3))) {
            r.reply().integer(0);
            return;
        }
        if (source == target) {
            r.reply().integer(1);
            return;
        }
        source.remove(r.arg(3));
        deleteIfEmpty(r, r.arg(1), source.isEmpty());
        r.modified(r.arg(1));
        if (setOrCreate(r, r.arg(2)).add(r.arg(3))) {
            r.modified(r.arg(2));
        }
        r.reply().integer(1);
    }

    private static Set<ByteBuffer> copy(PHashSet<byte[]> s) {
        Set<ByteBuffer> out = new LinkedHashSet<>();
        if (s != null) {
            s.forEach(m -> out.add(ByteBuffer.wrap(m)));
        }
        return out;
    }

    private static List<byte[]> combine(Request r, int firstKey, Op op) {
        List<PHashSet<byte[]>> sets = new ArrayList<>();
        for (int i = firstKey; i < r.argc(); i++) {
            sets.add(set(r, r.arg(i)));
        }
        Set<ByteBuffer> result = copy(sets.get(0));
        for (int i = 1; i < sets.size(); i++) {
            Set<ByteBuffer> other = copy(sets.get(i));
            switch (op) {
                case INTER -> result.retainAll(other);
                case UNION -> result.addAll(other);
                case DIFF -> result.removeAll(other);
            }
        }
        List<byte[]> members = new ArrayList<>(result.size());
        for (Iterator<ByteBuffer> it = result.iterator(); it.hasNext(); ) {
            members.add(it.next().array());
        }
        return members;
    }

    private static void store(Request r, Op op) {
        List<byte[]> members = combine(r, 2, op);
        if (data(r).delete(r.client().db(), r.arg(1)) || !members.isEmpty()) {
            r.modified(r.arg(1)); // the destination only: the sources are only read
        }
        if (!members.isEmpty()) {
            PHashSet<byte[]> target = setOrCreate(r, r.arg(1));
            members.forEach(target::add);
        }
        r.reply().integer(members.size());
    }
}
