package dev.switchboard.message;

import java.util.List;

/** A channel with its members' user ids, in join order. */
public record ChannelDetails(Channel channel, List<String> members) {
    public ChannelDetails {
        members = List.copyOf(members);
    }
}
