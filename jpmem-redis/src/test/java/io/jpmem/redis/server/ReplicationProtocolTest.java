package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master side's protocol byte for byte, with the test as the replica: the handshake's replies,
 * FULLRESYNC with an RDB our reader reads back, the stream's exact commands (SELECT, the
 * deterministic forms), +CONTINUE with exactly the bytes missed, a full resync when the offset is
 * past the backlog or the id unknown, and WAIT counting acknowledgements.
 */
class ReplicationProtocolTest {

    /** A replica played by the test: raw bytes in and out. */
    private static final class FakeReplica implements AutoCloseable {
        final TestServer.Client client;
        final InputStream in;
        String replid;
        long offset;

        FakeReplica(TestServer server) throws IOException {
            client = server.client();
            in = client.socket.getInputStream();
        }

        String line() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("closed");
                }
                out.write(c);
            }
            String s = out.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        byte[] bytes(int n) throws IOException {
            return in.readNBytes(n);
        }

        /** PSYNC; {@return the first reply line} Reads the RDB of a full resync into {@code rdb}. */
        String psync(String id, long from, Path rdb) throws IOException {
            client.command("PSYNC", id, Long.toString(from));
            String reply = line();
            if (reply.startsWith("+FULLRESYNC ")) {
                String[] parts = reply.split(" ");
                replid = parts[1];
                offset = Long.parseLong(parts[2]);
                String length = line();
                assertTrue(length.startsWith("$"), length);
                Files.write(rdb, bytes(Integer.parseInt(length.substring(1))));
            } else if (reply.startsWith("+CONTINUE ")) {
                replid = reply.substring("+CONTINUE ".length());
            }
            return reply;
        }

        /** {@return the next stream command, as its raw RESP text} */
        String command() throws IOException {
            StringBuilder out = new StringBuilder();
            String header = line();
            out.append(header).append("\r\n");
            int n = Integer.parseInt(header.substring(1));
            for (int i = 0; i < n; i++) {
                String len = line();
                out.append(len).append("\r\n").append(new String(bytes(Integer.parseInt(len.substring(1)) + 2),
                        StandardCharsets.ISO_8859_1));
            }
            offset += out.toString().getBytes(StandardCharsets.ISO_8859_1).length;
            return out.toString();
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    private static String cmd(String... args) {
        return TestServer.request(args);
    }

    @Test
    void fullResyncStreamContinueAndFallingBehind(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             TestServer.Client c = server.client()) {
            c.call("SELECT", "2");
            c.call("SET", "before", "1");
            String info;
            long seen;
            try (FakeReplica replica = new FakeReplica(server)) {
                assertEquals("+PONG\r\n", replica.client.call("PING"));
                assertEquals("+OK\r\n", replica.client.call("REPLCONF", "listening-port", "7777"));
                assertEquals("+OK\r\n", replica.client.call("REPLCONF", "capa", "eof", "capa", "psync2"));
                assertTrue(replica.client.call("REPLCONF", "nonsense", "1").startsWith("-ERR Unrecognized REPLCONF option"));
                Path rdb = dir.resolve("full.rdb");
                assertTrue(replica.psync("?", -1, rdb).startsWith("+FULLRESYNC "));
                assertEquals(40, replica.replid.length());
                assertEquals("[2/before]", DatasetView.of(rdb).keySet().toString(), "the RDB holds the dataset");

                c.call("SET", "k", "v", "EX", "100");
                String select = replica.command();
                assertEquals(cmd("SELECT", "2"), select, "the first write after a full resync selects");
                String set = replica.command();
                assertTrue(set.startsWith("*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$4\r\nPXAT\r\n"), set);
                long at = Long.parseLong(set.split("\r\n")[10]);
                assertEquals(at, Long.parseLong(c.call("PEXPIRETIME", "k").substring(1).trim()), "the exact expiry");
                c.call("SADD", "s", "only");
                assertEquals(cmd("SADD", "s", "only"), replica.command());
                c.call("SPOP", "s");
                assertEquals(cmd("SREM", "s", "only"), replica.command(), "SPOP replicates what it drew");
                c.call("INCRBYFLOAT", "f", "1.5");
                assertEquals(cmd("SET", "f", "1.5", "KEEPTTL"), replica.command());
                c.call("EVAL", "redis.call('SET','a','1') redis.call('SET','b','2')", "0");
                assertEquals(cmd("MULTI"), replica.command(), "a script's effects as one transaction");
                assertEquals(cmd("SET", "a", "1"), replica.command());
                assertEquals(cmd("SET", "b", "2"), replica.command());
                assertEquals(cmd("EXEC"), replica.command());
                c.call("SET", "gone", "v", "PX", "50"); // long enough not to be past already when it is set
                assertTrue(replica.command().startsWith("*5\r\n$3\r\nSET\r\n$4\r\ngone\r\n"));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!c.call("GET", "gone").equals("$-1\r\n")) { // a GET met past its time deletes it (or the active expiry did)
                    assertTrue(System.nanoTime() < deadline, "the key expired");
                    Thread.sleep(10);
                }
                assertEquals(cmd("DEL", "gone"), replica.command(), "a key that expired here goes as DEL");
                c.call("GET", "nothing"); // reads send nothing; the next write's bytes follow directly
                c.call("SELECT", "0");
                c.call("DEL", "missing"); // changed nothing: not sent
                c.call("SET", "x", "1");
                assertEquals(cmd("SELECT", "0"), replica.command());
                assertEquals(cmd("SET", "x", "1"), replica.command());

                info = c.call("INFO", "replication");
                assertTrue(info.contains("master_repl_offset:" + replica.offset + "\r\n"), info + " vs " + replica.offset);
                assertTrue(info.contains("slave0:ip=127.0.0.1,port=7777,state=online"), info);

                // WAIT: nobody acknowledged the stream's end yet; then the replica does
                assertEquals(":0\r\n", c.call("WAIT", "1", "50"));
                c.command("WAIT", "1", "0");
                assertEquals(cmd("REPLCONF", "GETACK", "*"), replica.command(), "WAIT asks the replicas for an ACK");
                replica.client.command("REPLCONF", "ACK", Long.toString(replica.offset));
                assertEquals(":1\r\n", c.reply());
                seen = replica.offset; // the first WAIT's GETACK is still unread: it went when that WAIT blocked
            }
            // the replica is gone; writes go on into the backlog
            c.call("SET", "while-away", "1");
            try (FakeReplica again = new FakeReplica(server)) {
                String id = info.replaceAll("(?s).*master_replid:(\\w+).*", "$1");
                assertEquals("+CONTINUE " + id, again.psync(id, seen + 1, null));
                assertEquals(cmd("REPLCONF", "GETACK", "*"), again.command(), "exactly the bytes not read before");
                assertEquals(cmd("SET", "while-away", "1"), again.command());
            }
            try (FakeReplica stranger = new FakeReplica(server)) {
                assertTrue(stranger.psync("0123456789012345678901234567890123456789", 1, dir.resolve("s.rdb"))
                        .startsWith("+FULLRESYNC "), "an unknown id gets a full resync");
            }
            String id = c.call("INFO", "replication").replaceAll("(?s).*master_replid:(\\w+).*", "$1");
            String big = "x".repeat(100_000);
            for (int i = 0; i < 12; i++) {
                c.call("SET", "big" + i, big); // 1.2 MB: more than the backlog holds
            }
            try (FakeReplica behind = new FakeReplica(server)) {
                assertTrue(behind.psync(id, 2, dir.resolve("b.rdb")).startsWith("+FULLRESYNC "),
                        "an offset that left the backlog gets a full resync");
            }
            String stats = c.call("INFO", "stats");
            assertTrue(stats.contains("sync_full:3\r\n") && stats.contains("sync_partial_ok:1\r\n")
                    && stats.contains("sync_partial_err:2\r\n"), stats);
        }
    }
}
