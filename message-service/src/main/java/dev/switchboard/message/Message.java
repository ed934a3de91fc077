package dev.switchboard.message;

import dev.switchboard.wire.chat.ChatEvent;
import dev.switchboard.wire.chat.ChatMessage;
import dev.switchboard.wire.chat.MessageState;
import java.time.Instant;
import java.util.Objects;

/**
 * A committed message. {@code attachments} is the JSON array the sender gave
 * (metadata only: names, types, sizes, URLs), or null; {@code clientMsgId} the
 * sender's idempotency key, or null. {@code state} is what happened to it since
 * (edits, delete, reactions, thread; ADR 0013) as far as the reader loaded it, and
 * {@code event} the edit, delete or reaction this copy reports, or null for the
 * message's own creation.
 */
public record Message(long id, long channelId, long seq, String sender, String text,
                      String attachments, String clientMsgId, Instant createdAt, MessageState state, ChatEvent event) {

    public Message {
        Objects.requireNonNull(state, "state");
    }

    /** A message as stored by its send, nothing loaded about what happened since. */
    public Message(long id, long channelId, long seq, String sender, String text,
                   String attachments, String clientMsgId, Instant createdAt) {
        this(id, channelId, seq, sender, text, attachments, clientMsgId, createdAt, MessageState.NONE, null);
    }

    /** This message with {@code state}, reported by {@code event} (null: its creation). */
    public Message with(MessageState newState, ChatEvent newEvent) {
        return new Message(id, channelId, seq, sender, text, attachments, clientMsgId, createdAt, newState, newEvent);
    }

    /** The log sequence this copy reports: the event's, or the message's own. */
    public long logSeq() {
        return event == null ? seq : event.seq();
    }

    /** The message as readers get it: its publication, payload and REST object are defined there. */
    public ChatMessage toWire() {
        return new ChatMessage(id, channelId, seq, sender, text, attachments, clientMsgId, createdAt, state, event);
    }
}
