package io.jpmem.heap.internal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A simulated block device holding named files, for crash tests of the log.
 *
 * <h2>The model</h2>
 * Reads see every write (the page cache). {@link DiskFile#sync()} is the barrier: it makes every
 * earlier write to that file durable. At a crash, each 512-byte sector written since its file's last
 * sync holds, independently of every other sector, its durable contents or its contents after any
 * prefix of the unsynced writes to it (the page cache writes back what it holds at some moment; a
 * sector is written atomically, a write spanning sectors is torn between them). So the writes since
 * the last sync may be lost, kept, or kept in any subset, across files and within one write.
 *
 * <p>A listener is called after every write and every sync: that is where a test takes crash images
 * ({@link #crashImages}). Not thread-safe beyond what the log's own locking gives it (calls are
 * serialized by a monitor).
 */
final class SimulatedDisk {

    static final int SECTOR = 512;

    /** One write not yet synced. */
    private record Write(long position, byte[] bytes) {}

    /** A crash image: each file's durable contents. */
    record Image(Map<String, byte[]> files) {
        long hash() {
            long h = 17;
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                h = h * 31 + e.getKey().hashCode();
                h = h * 1_000_003 + Arrays.hashCode(e.getValue());
                h = h * 31 + e.getValue().length;
            }
            return h;
        }
    }

    /** Called after each event. */
    interface Listener {
        void afterEvent(SimulatedDisk disk, String event);
    }

    private final Map<String, SimFile> files = new LinkedHashMap<>();
    private Listener listener;
    private long events;
    private boolean inListener;

    /** {@return a disk holding {@code image}, all durable} */
    static SimulatedDisk of(Image image) {
        SimulatedDisk disk = new SimulatedDisk();
        image.files().forEach((name, bytes) -> disk.file(name).setDurable(bytes.clone()));
        return disk;
    }

    /** {@return the file named {@code name}, created empty if missing} */
    synchronized SimFile file(String name) {
        return files.computeIfAbsent(name, SimFile::new);
    }

    synchronized void listen(Listener l) {
        this.listener = l;
    }

    synchronized long events() {
        return events;
    }

    private void event(String what) {
        events++;
        if (listener != null && !inListener) {
            inListener = true;
            try {
                listener.afterEvent(this, what);
            } finally {
                inListener = false;
            }
        }
    }

    /** {@return how many sectors have unsynced writes, over all files} */
    synchronized int unsyncedSectors() {
        int n = 0;
        for (SimFile f : files.values()) {
            n += f.sectorHistories().size();
        }
        return n;
    }

    /**
     * {@return crash images of the current moment: every combination if there are at most
     * {@code exhaustive} of them, else the durable image, the latest image and {@code samples} random ones}
     */
    synchronized List<Image> crashImages(int exhaustive, int samples, RandomGenerator random) {
        List<SimFile> list = new ArrayList<>(files.values());
        List<Map<Long, List<byte[]>>> histories = new ArrayList<>();
        long combinations = 1;
        for (SimFile f : list) {
            Map<Long, List<byte[]>> h = f.sectorHistories();
            histories.add(h);
            for (List<byte[]> states : h.values()) {
                combinations = Math.min(Long.MAX_VALUE / 64, combinations * states.size());
            }
        }
        List<Image> images = new ArrayList<>();
        if (combinations <= exhaustive) {
            for (long c = 0; c < combinations; c++) {
                long code = c;
                List<int[]> choice = new ArrayList<>();
                for (Map<Long, List<byte[]>> h : histories) {
                    int[] pick = new int[h.size()];
                    int i = 0;
                    for (List<byte[]> states : h.values()) {
                        pick[i++] = (int) (code % states.size());
                        code /= states.size();
                    }
                    choice.add(pick);
                }
                images.add(build(list, histories, choice));
            }
            return images;
        }
        for (int s = 0; s < samples + 2; s++) {
            List<int[]> choice = new ArrayList<>();
            for (Map<Long, List<byte[]>> h : histories) {
                int[] pick = new int[h.size()];
                int i = 0;
                for (List<byte[]> states : h.values()) {
                    pick[i++] = s == 0 ? 0 : s == 1 ? states.size() - 1 : random.nextInt(states.size());
                }
                choice.add(pick);
            }
            images.add(build(list, histories, choice));
        }
        return images;
    }

    private static Image build(List<SimFile> list, List<Map<Long, List<byte[]>>> histories, List<int[]> choice) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int f = 0; f < list.size(); f++) {
            SimFile file = list.get(f);
            byte[] durable = file.durable;
            Map<Long, List<byte[]>> h = histories.get(f);
            long end = durable.length;
            int i = 0;
            int[] pick = choice.get(f);
            for (Map.Entry<Long, List<byte[]>> e : h.entrySet()) {
                if (pick[i++] > 0) {
                    end = Math.max(end, e.getKey() * SECTOR + SECTOR);
                }
            }
            byte[] image = Arrays.copyOf(durable, (int) end);
            i = 0;
            for (Map.Entry<Long, List<byte[]>> e : h.entrySet()) {
                int k = pick[i++];
                if (k > 0) {
                    byte[] sector = e.getValue().get(k);
                    System.arraycopy(sector, 0, image, (int) (e.getKey() * SECTOR), SECTOR);
                }
            }
            out.put(file.name, image);
        }
        return new Image(out);
    }

    /** A file of the disk. */
    final class SimFile implements DiskFile {
        private final String name;
        private byte[] durable = new byte[0];
        private byte[] view = new byte[0];
        private int viewSize;
        private final List<Write> pending = new ArrayList<>();
        private boolean syncIgnored;

        private SimFile(String name) {
            this.name = name;
        }

        private void setDurable(byte[] bytes) {
            durable = bytes;
            view = bytes.clone();
            viewSize = bytes.length;
        }

        /** Makes {@link #sync} do nothing (to prove that the crash checker catches a missing barrier). */
        void ignoreSyncs() {
            syncIgnored = true;
        }

        @Override
        public void read(ByteBuffer dst, long position) {
            synchronized (SimulatedDisk.this) {
                int inFile = (int) Math.max(0, Math.min(dst.remaining(), viewSize - position));
                if (inFile > 0) {
                    dst.put(view, (int) position, inFile);
                }
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (SimulatedDisk.this) {
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                long end = position + bytes.length;
                if (end > view.length) {
                    view = Arrays.copyOf(view, (int) Math.max(end, view.length * 2L));
                }
                System.arraycopy(bytes, 0, view, (int) position, bytes.length);
                viewSize = (int) Math.max(viewSize, end);
                pending.add(new Write(position, bytes));
                event("write " + name + " [" + position + ", " + end + ")");
            }
        }

        @Override
        public void sync() {
            synchronized (SimulatedDisk.this) {
                if (!syncIgnored) {
                    durable = Arrays.copyOf(view, viewSize);
                    pending.clear();
                }
                event("sync " + name);
            }
        }

        @Override
        public long size() {
            synchronized (SimulatedDisk.this) {
                return viewSize;
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void close() {}

        /** Sector index -> its possible states: [durable, after write 1 touching it, after write 2, ...]. */
        private Map<Long, List<byte[]>> sectorHistories() {
            Map<Long, List<byte[]>> h = new LinkedHashMap<>();
            for (Write w : pending) {
                long first = w.position() / SECTOR;
                long last = (w.position() + w.bytes().length - 1) / SECTOR;
                for (long s = first; s <= last; s++) {
                    List<byte[]> states = h.computeIfAbsent(s, this::durableSector);
                    byte[] next = states.get(states.size() - 1).clone();
                    long from = Math.max(w.position(), s * SECTOR);
                    long to = Math.min(w.position() + w.bytes().length, (s + 1) * SECTOR);
                    System.arraycopy(w.bytes(), (int) (from - w.position()), next, (int) (from - s * SECTOR), (int) (to - from));
                    states.add(next);
                }
            }
            return h;
        }

        private List<byte[]> durableSector(long s) {
            byte[] sector = new byte[SECTOR];
            long from = s * SECTOR;
            if (from < durable.length) {
                System.arraycopy(durable, (int) from, sector, 0, (int) Math.min(SECTOR, durable.length - from));
            }
            List<byte[]> states = new ArrayList<>();
            states.add(sector);
            return states;
        }
    }
}
