package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Publish/subscribe against redis-server, two clients on each side (a subscriber and a publisher):
 * every reply and every message the subscriber receives must be byte-equal, in RESP2 (subscribed
 * mode and its refusals) and RESP3 (push messages); then Jedis's listener and redis-cli.
 */
class PubSubTest {

    @TempDir
    Path dir;

    /** One step: a command on the subscriber or the publisher, and how many replies/messages the subscriber then reads. */
    private record Step(boolean onSubscriber, String[] command, int subscriberReads) {}

    private static Step sub(int reads, String... command) {
        return new Step(true, command, reads);
    }

    private static Step pub(int subscriberReads, String... command) {
        return new Step(false, command, subscriberReads);
    }

    /** {@return what each side's subscriber and publisher saw, step by step} */
    private static List<String> play(TestServer.Client subscriber, TestServer.Client publisher, List<Step> steps)
            throws Exception {
        List<String> seen = new java.util.ArrayList<>();
        for (Step step : steps) {
            StringBuilder out = new StringBuilder(String.join(" ", step.command())).append(" ->");
            if (step.onSubscriber()) {
                subscriber.command(step.command());
            } else {
                out.append(" pub:").append(publisher.call(step.command()));
            }
            for (int i = 0; i < step.subscriberReads(); i++) {
                String reply = subscriber.reply();
                out.append(" sub:").append(step.command()[0].equals("HELLO") ? "(its client id differs)" : reply);
            }
            seen.add(out.toString());
        }
        return seen;
    }

    private void assertSameAsRedis(String what, List<Step> steps) throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem-" + what), Optional.empty(), 16);
             RedisPeer redis = RedisPeer.start(dir.resolve("redis-" + what));
             TestServer.Client subA = ours.client(); TestServer.Client pubA = ours.client();
             TestServer.Client subB = redis.client(); TestServer.Client pubB = redis.client()) {
            assertEquals(play(subB, pubB, steps), play(subA, pubA, steps), what);
        }
    }

    @Test
    void resp2SubscribedModeMatchesRedis() throws Exception {
        assertSameAsRedis("resp2", List.of(
                pub(0, "PUBLISH", "news", "nobody"),
                sub(2, "SUBSCRIBE", "news", "sport"),
                sub(1, "SUBSCRIBE", "news"),
                pub(1, "PUBLISH", "news", "hello"),
                pub(0, "PUBLISH", "weather", "rain"),
                pub(0, "PUBSUB", "CHANNELS", "s*"),
                pub(0, "PUBSUB", "CHANNELS", "n*"),
                pub(0, "PUBSUB", "NUMSUB", "news", "sport", "none"),
                pub(0, "PUBSUB", "NUMPAT"),
                sub(1, "GET", "k"),
                sub(1, "PING"),
                sub(1, "PING", "hi"),
                sub(1, "PSUBSCRIBE", "w*"),
                pub(0, "PUBSUB", "NUMPAT"),
                pub(1, "PUBLISH", "weather", "sun"),
                pub(1, "PUBLISH", "wnews", "x"),
                sub(1, "SSUBSCRIBE", "shard1"),
                pub(1, "SPUBLISH", "shard1", "s-msg"),
                pub(0, "SPUBLISH", "news", "not-shard"),
                pub(0, "PUBSUB", "SHARDCHANNELS"),
                pub(0, "PUBSUB", "SHARDNUMSUB", "shard1", "x"),
                sub(1, "SUNSUBSCRIBE"),
                sub(1, "UNSUBSCRIBE", "sport"),
                sub(1, "PUNSUBSCRIBE"),
                sub(1, "PUNSUBSCRIBE"),
                sub(1, "UNSUBSCRIBE"),
                sub(1, "UNSUBSCRIBE"),
                sub(1, "GET", "k"),
                pub(0, "PUBLISH", "news", "gone"),
                pub(0, "PUBSUB", "CHANNELS"),
                pub(0, "PUBSUB", "NOPE"),
                pub(0, "PUBSUB", "NUMPAT", "x"),
                pub(0, "PUBLISH", "onlyone"),
                sub(1, "SUBSCRIBE"),
                sub(1, "SUBSCRIBE", "r1"),
                sub(1, "PSUBSCRIBE", "r*"),
                sub(1, "RESET"),
                pub(0, "PUBSUB", "NUMSUB", "r1"),
                pub(0, "PUBSUB", "NUMPAT"),
                sub(1, "GET", "k"),
                sub(1, "MULTI"),
                sub(1, "SELECT", "2"),
                sub(1, "RESET"),
                sub(1, "EXEC")));
    }

    @Test
    void resp3PushMessagesMatchRedis() throws Exception {
        assertSameAsRedis("resp3", List.of(
                sub(1, "HELLO", "3"),
                sub(2, "SUBSCRIBE", "a", "b"),
                sub(1, "PSUBSCRIBE", "a*"),
                pub(2, "PUBLISH", "a", "m1"),
                sub(1, "SET", "k", "v"),
                sub(1, "GET", "k"),
                sub(1, "PING"),
                sub(3, "PUBLISH", "a", "to-self"),
                sub(2, "UNSUBSCRIBE"),
                sub(1, "PUNSUBSCRIBE", "a*"),
                sub(1, "UNSUBSCRIBE")));
    }

    @Test
    void messagesFollowWritesInTheSameRoundAndAreDeliveredInOrder() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16);
             TestServer.Client subscriber = server.client(); TestServer.Client publisher = server.client()) {
            subscriber.command("SUBSCRIBE", "c");
            assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", subscriber.reply());
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                pipeline.append(TestServer.request("SET", "k" + i, "v")).append(TestServer.request("PUBLISH", "c", "m" + i));
            }
            publisher.send(pipeline.toString());
            for (int i = 0; i < 50; i++) {
                assertEquals("+OK\r\n", publisher.reply());
                assertEquals(":1\r\n", publisher.reply());
            }
            for (int i = 0; i < 50; i++) {
                String m = "m" + i;
                assertEquals("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$" + m.length() + "\r\n" + m + "\r\n", subscriber.reply());
            }
        }
    }

    @Test
    void jedisListenerReceivesPublishedMessages() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16);
             Jedis subscriber = new Jedis("127.0.0.1", server.loop.port());
             Jedis publisher = new Jedis("127.0.0.1", server.loop.port())) {
            List<String> received = new CopyOnWriteArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(2);
            CountDownLatch done = new CountDownLatch(1);
            JedisPubSub listener = new JedisPubSub() {
                @Override
                public void onSubscribe(String channel, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onPSubscribe(String pattern, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onMessage(String channel, String message) {
                    received.add(channel + "=" + message);
                    if (message.equals("stop")) {
                        unsubscribe();
                        punsubscribe();
                    }
                }

                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    received.add(pattern + ":" + channel + "=" + message);
                }

                @Override
                public void onUnsubscribe(String channel, int count) {
                    if (count == 0) {
                        done.countDown();
                    }
                }

                @Override
                public void onPUnsubscribe(String pattern, int count) {
                    if (count == 0) {
                        done.countDown();
                    }
                }
            };
            Thread thread = Thread.ofPlatform().start(() -> subscriber.subscribe(listener, "orders"));
            assertTrue(waitFor(() -> publisher.pubsubNumSub("orders").get("orders") == 1L), "subscribed");
            listener.psubscribe("inv*");
            assertTrue(waitFor(() -> publisher.pubsubNumPat() == 1L), "psubscribed");
            assertEquals(1, publisher.publish("orders", "o1"));
            assertEquals(1, publisher.publish("invoices", "i1"));
            assertEquals(0, publisher.publish("other", "x"));
            assertEquals(1, publisher.publish("orders", "stop"));
            assertTrue(done.await(10, TimeUnit.SECONDS), "unsubscribed");
            thread.join(10_000);
            assertEquals(List.of("orders=o1", "inv*:invoices=i1", "orders=stop"), received);
            assertEquals("PONG", subscriber.ping(), "the connection is usable again after unsubscribing");
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void redisCliSubscribePrintsMessages() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16); TestServer.Client publisher = server.client()) {
            Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(server.loop.port()), "SUBSCRIBE", "ch")
                    .redirectErrorStream(true).start();
            try {
                for (int i = 0; i < 500 && !publisher.call("PUBSUB", "NUMSUB", "ch").contains(":1\r\n"); i++) {
                    Thread.sleep(10);
                }
                assertEquals(":1\r\n", publisher.call("PUBLISH", "ch", "hello-cli"));
                java.io.BufferedReader out = new java.io.BufferedReader(
                        new java.io.InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8));
                List<String> lines = new java.util.ArrayList<>();
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    if (line.equals("hello-cli")) {
                        break;
                    }
                }
                assertEquals(List.of("subscribe", "ch", "1", "message", "ch", "hello-cli"), lines);
            } finally {
                cli.destroy();
                cli.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
