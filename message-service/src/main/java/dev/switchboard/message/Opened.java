package dev.switchboard.message;

/** The answer to a get-or-create: the channel, and whether this call created it. */
public record Opened(ChannelDetails details, boolean created) {
}
