package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.PUBSUB;
import static io.jpmem.redis.command.CommandSpec.Flag.SUBSCRIBED_MODE;

import io.jpmem.redis.command.PubSub.Kind;
import java.util.EnumSet;
import java.util.List;

/**
 * Publish/subscribe: (UN)SUBSCRIBE, P(UN)SUBSCRIBE, S(UN)SUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB's
 * introspection. Confirmations are push messages in RESP3 and arrays in RESP2, where a subscribed
 * client may only run the commands flagged {@link CommandSpec.Flag#SUBSCRIBED_MODE} (see the
 * dispatcher). A standalone server has one shard, so shard channels behave as a second, separate
 * set of channels that patterns do not match.
 */
public final class PubSubCommands {

    private PubSubCommands() {}

    public static void register(CommandTable table) {
        EnumSet<CommandSpec.Flag> subscribing = EnumSet.of(PUBSUB, SUBSCRIBED_MODE);
        table.add(new CommandSpec("subscribe", -2, subscribing, 0, 0, 0, r -> subscribe(r, Kind.CHANNEL)))
                .add(new CommandSpec("psubscribe", -2, subscribing, 0, 0, 0, r -> subscribe(r, Kind.PATTERN)))
                .add(new CommandSpec("ssubscribe", -2, subscribing, 1, -1, 1, r -> subscribe(r, Kind.SHARD)))
                .add(new CommandSpec("unsubscribe", -1, subscribing, 0, 0, 0, r -> unsubscribe(r, Kind.CHANNEL)))
                .add(new CommandSpec("punsubscribe", -1, subscribing, 0, 0, 0, r -> unsubscribe(r, Kind.PATTERN)))
                .add(new CommandSpec("sunsubscribe", -1, subscribing, 1, -1, 1, r -> unsubscribe(r, Kind.SHARD)))
                .add(new CommandSpec("publish", 3, EnumSet.of(PUBSUB, FAST), 0, 0, 0, r -> publish(r, false)))
                .add(new CommandSpec("spublish", 3, EnumSet.of(PUBSUB, FAST), 1, 1, 1, r -> publish(r, true)))
                .add(new CommandSpec("pubsub", -2, EnumSet.of(PUBSUB), 0, 0, 0, PubSubCommands::pubsub));
    }

    private static int countFor(Kind kind, PubSub pubsub, ClientState client) {
        return kind == Kind.SHARD ? pubsub.count(Kind.SHARD, client) : pubsub.channelsAndPatterns(client);
    }

    private static void subscribe(Request r, Kind kind) {
        PubSub pubsub = r.pubsub();
        for (int i = 1; i < r.argc(); i++) {
            pubsub.subscribe(kind, r.client(), r.arg(i));
            r.reply().push(3).bulk(kind.subscribed).bulk(r.arg(i)).integer(countFor(kind, pubsub, r.client()));
        }
    }

    private static void unsubscribe(Request r, Kind kind) {
        PubSub pubsub = r.pubsub();
        List<byte[]> names = r.argc() > 1 ? r.args().subList(1, r.argc()) : pubsub.names(kind, r.client());
        if (names.isEmpty()) {
            r.reply().push(3).bulk(kind.unsubscribed).nullBulk().integer(countFor(kind, pubsub, r.client()));
            return;
        }
        for (byte[] name : names) {
            pubsub.unsubscribe(kind, r.client(), name);
            r.reply().push(3).bulk(kind.unsubscribed).bulk(name).integer(countFor(kind, pubsub, r.client()));
        }
    }

    private static void publish(Request r, boolean shard) {
        r.reply().integer(r.pubsub().publish(r.arg(1), r.arg(2), shard));
    }

    private static void pubsub(Request r) {
        PubSub pubsub = r.pubsub();
        String sub = r.keyword(1);
        switch (sub) {
            case "CHANNELS", "SHARDCHANNELS" -> {
                if (r.argc() > 3) {
                    throw CommandError.arity("pubsub|" + sub.toLowerCase(java.util.Locale.ROOT));
                }
                List<byte[]> channels = pubsub.activeChannels(sub.equals("CHANNELS") ? Kind.CHANNEL : Kind.SHARD,
                        r.argc() == 3 ? r.arg(2) : null);
                r.reply().array(channels.size());
                channels.forEach(r.reply()::bulk);
            }
            case "NUMSUB", "SHARDNUMSUB" -> {
                Kind kind = sub.equals("NUMSUB") ? Kind.CHANNEL : Kind.SHARD;
                r.reply().array(2 * (r.argc() - 2));
                for (int i = 2; i < r.argc(); i++) {
                    r.reply().bulk(r.arg(i)).integer(pubsub.subscriberCount(kind, r.arg(i)));
                }
            }
            case "NUMPAT" -> {
                if (r.argc() != 2) {
                    throw CommandError.arity("pubsub|numpat");
                }
                r.reply().integer(pubsub.patternCount());
            }
            case "HELP" -> {
                List<String> lines = List.of(
                        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "CHANNELS [<pattern>]",
                        "    Return the currently active channels matching a <pattern> (default: '*').",
                        "NUMPAT",
                        "    Return number of subscriptions to patterns.",
                        "NUMSUB [<channel> ...]",
                        "    Return the number of subscribers for the specified channels, excluding",
                        "    pattern subscriptions(default: no channels).",
                        "SHARDCHANNELS [<pattern>]",
                        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                        "SHARDNUMSUB [<shardchannel> ...]",
                        "    Return the number of subscribers for the specified shard level channel(s)",
                        "HELP",
                        "    Prints this help.");
                r.reply().array(lines.size());
                lines.forEach(r.reply()::simple);
            }
            default -> throw new CommandError("ERR unknown subcommand '" + r.text(1) + "'. Try PUBSUB HELP.");
        }
    }
}
