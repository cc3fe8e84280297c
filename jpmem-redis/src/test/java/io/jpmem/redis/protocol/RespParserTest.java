package io.jpmem.redis.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RespParserTest {

    private static List<List<String>> parseAll(RespParser parser, String input) throws ProtocolException {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        parser.feed(bytes, 0, bytes.length);
        List<List<String>> commands = new ArrayList<>();
        for (List<byte[]> c; (c = parser.next()) != null; ) {
            commands.add(c.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList());
        }
        return commands;
    }

    private static List<List<String>> parse(String input) throws ProtocolException {
        return parseAll(new RespParser(RespParser.DEFAULT_MAX_BULK_LENGTH), input);
    }

    private static String error(String input) {
        return assertThrows(ProtocolException.class, () -> parse(input)).getMessage();
    }

    @Test
    void multibulkRequestsIncludingPipelinedOnesAndBinaryData() throws Exception {
        assertEquals(List.of(List.of("SET", "k", "v\r\n\0"), List.of("GET", "k")),
                parse("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\nv\r\n\0\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"));
        assertEquals(List.of(List.of("PING")), parse("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n"), "empty requests are skipped");
    }

    @Test
    void requestsSplitAtEveryByteBoundaryParseTheSame() throws Exception {
        String input = "*3\r\n$3\r\nSET\r\n$5\r\nhello\r\n$10\r\n0123456789\r\nPING\r\nSET a \"b c\"\r\n";
        List<List<String>> whole = parse(input);
        assertEquals(3, whole.size());
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 200; round++) {
            RespParser parser = new RespParser(RespParser.DEFAULT_MAX_BULK_LENGTH);
            List<List<String>> pieces = new ArrayList<>();
            for (int at = 0; at < input.length(); ) {
                int n = 1 + random.nextInt(7);
                pieces.addAll(parseAll(parser, input.substring(at, Math.min(input.length(), at + n))));
                at += n;
            }
            assertEquals(whole, pieces);
            assertEquals(0, parser.buffered());
        }
    }

    @Test
    void inlineCommandsWithQuotesAndEscapes() throws Exception {
        assertEquals(List.of(List.of("SET", "key", "a b", "x\ny", "it's", "A")),
                parse("SET key \"a b\" \"x\\ny\" 'it\\'s' \"\\x41\"\r\n"));
        assertEquals(List.of(List.of("PING")), parse("\r\n\nPING\n"), "empty lines are skipped, LF alone ends a line");
    }

    @Test
    void malformedRequestsGetRedisErrors() {
        assertEquals("Protocol error: invalid multibulk length", error("*abc\r\n"));
        assertEquals("Protocol error: invalid multibulk length", error("*99999999999\r\n"));
        assertEquals("Protocol error: expected '$', got 'x'", error("*1\r\nx3\r\nfoo\r\n"));
        assertEquals("Protocol error: invalid bulk length", error("*1\r\n$-5\r\n"));
        assertEquals("Protocol error: invalid bulk length", error("*1\r\n$abc\r\n"));
        assertEquals("Protocol error: unbalanced quotes in request", error("SET a \"b\r\n"));
        assertEquals("Protocol error: unbalanced quotes in request", error("SET a \"b\"c\r\n"));
        assertEquals("Protocol error: too big inline request", error("x".repeat(RespParser.MAX_INLINE + 1)));
        assertEquals("Protocol error: too big mbulk count string", error("*" + "1".repeat(RespParser.MAX_INLINE + 1)));
    }

    @Test
    void bulkLengthsAboveTheLimitAreRefusedBeforeAnyDataIsBuffered() throws Exception {
        RespParser parser = new RespParser(1000);
        byte[] header = "*1\r\n$1001\r\n".getBytes(StandardCharsets.US_ASCII);
        parser.feed(header, 0, header.length);
        assertEquals("Protocol error: invalid bulk length", assertThrows(ProtocolException.class, parser::next).getMessage());
    }

    @Test
    void unauthenticatedClientsAreHeldToTighterLimits() throws Exception {
        RespParser parser = new RespParser(RespParser.DEFAULT_MAX_BULK_LENGTH);
        parser.setAuthenticated(false);
        assertEquals("Protocol error: unauthenticated multibulk length",
                assertThrows(ProtocolException.class, () -> parseAll(parser, "*11\r\n")).getMessage());
        RespParser other = new RespParser(RespParser.DEFAULT_MAX_BULK_LENGTH);
        other.setAuthenticated(false);
        assertEquals("Protocol error: unauthenticated bulk length",
                assertThrows(ProtocolException.class, () -> parseAll(other, "*2\r\n$4\r\nAUTH\r\n$16385\r\n")).getMessage());
    }

    @Test
    void aLargeBulkArrivingInPiecesIsAssembled() throws Exception {
        RespParser parser = new RespParser(RespParser.DEFAULT_MAX_BULK_LENGTH);
        byte[] value = new byte[300_000];
        new SplittableRandom(1).nextBytes(value);
        byte[] header = ("*2\r\n$3\r\nSET\r\n$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        parser.feed(header, 0, header.length);
        for (int at = 0; at < value.length; at += 4096) {
            assertNull(parser.next());
            parser.feed(value, at, Math.min(4096, value.length - at));
        }
        assertNull(parser.next(), "the CRLF is still missing");
        parser.feed(new byte[] {'\r', '\n'}, 0, 2);
        List<byte[]> command = parser.next();
        assertArrayEquals(value, command.get(1));
    }
}
