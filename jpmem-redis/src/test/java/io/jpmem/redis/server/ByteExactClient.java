package io.jpmem.redis.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A raw RESP client that is byte-exact, for values that are not text (bitmaps, HyperLogLogs): each
 * char of an argument or of a reply stands for one byte (ISO-8859-1), so two replies are equal as
 * strings exactly when they are equal as bytes. ({@link TestServer.Client} speaks UTF-8, which maps
 * every invalid byte sequence to the same replacement character.)
 */
final class ByteExactClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /** A test body given a byte-exact client of each server. */
    interface Both {
        void run(ByteExactClient ours, ByteExactClient theirs) throws Exception;
    }

    /**
     * Runs {@code body} with a client of a fresh jpmem-redis and one of a fresh redis-server (with
     * proto-max-bulk-len 1 MB, which bounds bit offsets), both under {@code dir}.
     */
    static void withBoth(Path dir, Both body) throws Exception {
        try (TestServer server = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
                RedisPeer redis = RedisPeer.start(dir.resolve("redis"), "--proto-max-bulk-len", "1048576");
                ByteExactClient ours = new ByteExactClient(server.loop.port());
                ByteExactClient theirs = new ByteExactClient(redis.port())) {
            body.run(ours, theirs);
        }
    }

    /**
     * Sends each line (space-separated words) to both, one at a time, and fails listing every command
     * whose replies differ; lines starting with one of {@code uncompared} are sent but their replies
     * not compared (a reply that holds a client id, for one).
     */
    static void assertSameReplies(ByteExactClient ours, ByteExactClient theirs, List<String> uncompared, String... lines)
            throws IOException {
        List<String> differences = new ArrayList<>();
        for (String line : lines) {
            List<String> command = List.of(line.trim().split(" +"));
            String a = ours.call(command);
            String b = theirs.call(command);
            if (!a.equals(b) && uncompared.stream().noneMatch(line::startsWith)) {
                differences.add(line + "\n  jpmem: " + printable(a) + "\n  redis: " + printable(b));
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals("", String.join("\n", differences));
    }

    ByteExactClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** {@return the raw reply to one command} */
    String call(List<String> args) throws IOException {
        send(args);
        out.flush();
        return reply();
    }

    /** {@return the raw replies to commands sent as one pipeline} */
    List<String> pipeline(List<List<String>> commands) throws IOException {
        for (List<String> command : commands) {
            send(command);
        }
        out.flush();
        List<String> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(reply());
        }
        return replies;
    }

    private void send(List<String> args) throws IOException {
        StringBuilder request = new StringBuilder("*").append(args.size()).append("\r\n");
        for (String a : args) {
            request.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private String reply() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        RawReplies.read(in, raw);
        return raw.toString(StandardCharsets.ISO_8859_1);
    }

    /** {@return {@code text} with its control and non-ASCII bytes escaped, for failure messages} */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\r') {
                out.append("\\r");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 32 || c > 126) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
