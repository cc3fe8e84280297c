package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection-level commands and bad input, reply for reply, over a real socket. */
class ConnectionCommandsTest {

    @TempDir
    Path dir;

    @Test
    void pingEchoSelectAndErrorsInRedisFormats() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals("$2\r\nhi\r\n", c.call("ping", "hi"));
            assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", c.call("PING", "a", "b"));
            assertEquals("$5\r\nhello\r\n", c.call("ECHO", "hello"));
            assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", c.call("ECHO"));
            assertEquals("+OK\r\n", c.call("SELECT", "15"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("SELECT", "16"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SELECT", "x"));
            assertEquals("-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n", c.call("NOSUCH", "a", "b"));
            c.send("PING\r\n");
            assertEquals("+PONG\r\n", c.reply(), "inline commands");
            assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "app"));
            assertEquals("$3\r\napp\r\n", c.call("CLIENT", "GETNAME"));
            assertTrue(c.call("CLIENT", "ID").matches(":\\d+\r\n"));
        }
    }

    @Test
    void helloSwitchesToResp3() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            String hello = c.call("HELLO", "3");
            assertTrue(hello.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), hello);
            assertTrue(hello.contains("$5\r\nproto\r\n:3\r\n"), hello);
            assertEquals("_\r\n", c.call("CLIENT", "GETNAME"), "RESP3 null");
            assertEquals("-NOPROTO unsupported protocol version\r\n", c.call("HELLO", "4"));
        }
    }

    @Test
    void passwordsAreRequiredWhenSet() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.of("s3cret"), 100); TestServer.Client c = server.client()) {
            assertEquals("-NOAUTH Authentication required.\r\n", c.call("PING"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.call("AUTH", "nope"));
            assertEquals("+OK\r\n", c.call("AUTH", "s3cret"));
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void multiQueuesAndExecRunsInOrderAndErrorsAbortTheTransaction() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("-ERR MULTI calls can not be nested\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("PING"));
            assertEquals("+QUEUED\r\n", c.call("ECHO", "x"));
            assertEquals("*2\r\n+PONG\r\n$1\r\nx\r\n", c.call("EXEC"));
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", c.call("ECHO"));
            assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.call("EXEC"));
            assertEquals("-ERR DISCARD without MULTI\r\n", c.call("DISCARD"));
        }
    }

    @Test
    void malformedInputGetsAnErrorAndClosesOnlyThatClient() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             TestServer.Client bad = server.client(); TestServer.Client good = server.client()) {
            assertEquals("+PONG\r\n", good.call("PING"));
            bad.send("*1\r\n$abc\r\n");
            assertEquals("-ERR Protocol error: invalid bulk length\r\n", bad.reply());
            assertTrue(bad.closedByServer());
            try (TestServer.Client big = server.client()) {
                big.send("*2\r\n$3\r\nSET\r\n$" + (2 << 20) + "\r\n");
                assertEquals("-ERR Protocol error: invalid bulk length\r\n", big.reply(), "above proto-max-bulk-len");
            }
            try (TestServer.Client quotes = server.client()) {
                quotes.send("SET a \"b\r\n");
                assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", quotes.reply());
            }
            assertEquals("+PONG\r\n", good.call("PING"), "the server and the other clients go on");
        }
    }

    @Test
    void maxClientsIsEnforced() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 1); TestServer.Client first = server.client()) {
            assertEquals("+PONG\r\n", first.call("PING"));
            try (TestServer.Client second = server.client()) {
                assertEquals("-ERR max number of clients reached\r\n", second.reply());
            }
        }
    }
}
