package dev.switchboard.bridge.redis;

import java.util.List;

/** Maps Switchboard channel names to Redis channels and back: a configured prefix, nothing else. */
final class ChannelNames {
    private final String prefix;

    ChannelNames(String prefix) {
        this.prefix = prefix;
    }

    String toRedis(String channel) {
        return prefix + channel;
    }

    String[] toRedis(List<String> channels) {
        String[] keys = new String[channels.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = prefix + channels.get(i);
        }
        return keys;
    }

    String fromRedis(String redisChannel) {
        return redisChannel.startsWith(prefix) ? redisChannel.substring(prefix.length()) : redisChannel;
    }
}
