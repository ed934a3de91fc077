package dev.switchboard.client;

/** The server accepted a publish: on chat channels, after the commit, with the message's sequence. */
public record PublishResult(long seq, long messageId, long timestampMs, String clientMsgId) {
}
