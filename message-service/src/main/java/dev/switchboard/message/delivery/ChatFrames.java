package dev.switchboard.message.delivery;

import dev.switchboard.message.Channel;
import dev.switchboard.message.Message;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.chat.ChatMessage;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ReadReceipt;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribed;
import dev.switchboard.wire.proto.Unsubscribed;

/**
 * The serialized {@code ServerFrame}s the message-service hands to the broker.
 * Edge nodes forward them unchanged to every local subscriber, so nothing in
 * them is specific to a recipient.
 */
public final class ChatFrames {
    private ChatFrames() {
    }

    /** A committed message as a publication on {@code <org>/chat/<id>}, defined by {@link ChatMessage#publication}. */
    public static byte[] publication(Channel channel, Message m) {
        return ServerFrame.newBuilder().setPublication(publicationOf(channel.realtimeName(), m)).build().toByteArray();
    }

    /** The publication of a stored message, as live subscribers got it (history and recovery replay these). */
    public static Publication publicationOf(String realtimeName, Message m) {
        return m.toWire().publication(realtimeName);
    }

    /** A member's read checkpoint moved: every member's sessions (the reader's other devices too) learn it. */
    public static byte[] readReceipt(String realtimeName, String userId, long seq) {
        return ServerFrame.newBuilder().setReadReceipt(ReadReceipt.newBuilder()
                .setChannel(realtimeName).setUserId(userId).setSeq(seq)).build().toByteArray();
    }

    /** Tells a user's sessions (through their personal channel) to subscribe to a channel they joined. */
    public static byte[] subscribed(Channel channel) {
        return ServerFrame.newBuilder()
                .setSubscribed(Subscribed.newBuilder().setChannel(channel.realtimeName()).setLastSeq(channel.lastSeq()))
                .build().toByteArray();
    }

    /** Tells a user's sessions to drop a channel they left or were removed from. */
    public static byte[] unsubscribed(Channel channel, ErrorCode why) {
        return ServerFrame.newBuilder()
                .setUnsubscribed(Unsubscribed.newBuilder().setChannel(channel.realtimeName()).setCode(why.code()))
                .build().toByteArray();
    }
}
