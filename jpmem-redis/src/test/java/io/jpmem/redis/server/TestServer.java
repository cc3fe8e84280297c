package io.jpmem.redis.server;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** A server on a free port of loopback, in this JVM, on a heap in {@code dir}; and raw RESP clients for it. */
final class TestServer implements AutoCloseable {

    final PersistentHeap heap;
    final EventLoop loop;
    private final Thread thread;

    TestServer(Path dir, Optional<String> password, int maxClients) throws IOException {
        this(dir, password, maxClients, 16L << 20, dir);
    }

    /** A server with a heap of at most {@code heapSize} bytes, writing its RDB file (SAVE, BGSAVE) to {@code rdbDir}/dump.rdb. */
    TestServer(Path dir, Optional<String> password, int maxClients, long heapSize, Path rdbDir) throws IOException {
        ServerOptions options = new ServerOptions("127.0.0.1", 0, dir.resolve("redis.heap"), heapSize, Durability.PROCESS,
                password, maxClients, true, 16, 1 << 20, rdbDir, "dump.rdb", Optional.empty());
        heap = PersistentHeap.openOrCreate(options.heap(), HeapOptions.defaults().withDurability(Durability.PROCESS)
                .withMaxByteSize(options.heapSize()));
        loop = new EventLoop(options, heap);
        thread = Thread.ofPlatform().name("test-redis").start(() -> {
            try {
                loop.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    Client client() throws IOException {
        return new Client(new Socket("127.0.0.1", loop.port()));
    }

    @Override
    public void close() throws IOException {
        loop.stop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.close();
        heap.close();
    }

    /** {@return a command as a multibulk request, for pipelining several in one {@link Client#send}} */
    static String request(String... args) {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            request.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return request.toString();
    }

    /** Sends raw bytes and reads raw replies. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        void send(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Sends a command as a multibulk request. */
        void command(String... args) throws IOException {
            send(request(args));
        }

        /** {@return one whole reply, raw (nested arrays included)} */
        String reply() throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            RawReplies.read(in, raw);
            return raw.toString(StandardCharsets.UTF_8);
        }

        /** {@return the reply to a command} */
        String call(String... args) throws IOException {
            command(args);
            return reply();
        }

        /** Stores large strings ({@code fill0}, {@code fill1}, ...) until the heap is full. @return whether a SET got -OOM */
        boolean fillHeap() throws IOException {
            String filler = "x".repeat(500_000);
            for (int i = 0; i < 100; i++) {
                if (call("SET", "fill" + i, filler).startsWith("-OOM")) {
                    return true;
                }
            }
            return false;
        }

        /** {@return whether the server closed the connection (read returns EOF)} */
        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
