package dev.switchboard.message.store.cassandra;

import dev.switchboard.message.Message;
import dev.switchboard.wire.chat.ChatEvent;
import dev.switchboard.wire.chat.EventKind;
import java.time.Instant;
import java.util.List;

/**
 * One row of {@code channel_log}: a new message ({@link EventKind#MESSAGE}) or an
 * edit, delete or reaction of message {@code messageId} (ADR 0013). {@code actor} is
 * the sender or the one who changed the message; {@code clientId} their idempotency
 * key; {@code text} a message's text or an edit's new text (needed to apply the edit
 * again after a crash: see {@link MessageStateTable}); {@code emoji} a reaction's.
 */
record LogEntry(long channelId, long seq, EventKind kind, long messageId, String actor, String text,
                String attachments, String clientId, Instant createdAt, String emoji, long parentId,
                boolean alsoToChannel, List<String> mentions) {

    LogEntry {
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    /** The entry of a new message. */
    static LogEntry of(Message m, long parentId, boolean alsoToChannel, List<String> mentions) {
        return new LogEntry(m.channelId(), m.seq(), EventKind.MESSAGE, m.id(), m.sender(), m.text(), m.attachments(),
                m.clientMsgId(), m.createdAt(), null, parentId, alsoToChannel, mentions);
    }

    boolean isMessage() {
        return kind == EventKind.MESSAGE;
    }

    /** A channel message, or a thread reply also sent to the channel: what history pages and unread counts show. */
    boolean inChannel() {
        return isMessage() && (parentId == 0 || alsoToChannel);
    }

    /** The message as its own row stored it (a message entry only); its state is loaded separately. */
    Message message() {
        return new Message(messageId, channelId, seq, actor, text, attachments, clientId, createdAt);
    }

    /** The event of a change entry. */
    ChatEvent event() {
        return new ChatEvent(kind, seq, actor, emoji, clientId, createdAt);
    }

    /** This entry at {@code newSeq} (an append that lost its sequence tries the next one). */
    LogEntry at(long newSeq) {
        return new LogEntry(channelId, newSeq, kind, messageId, actor, text, attachments, clientId, createdAt, emoji,
                parentId, alsoToChannel, mentions);
    }
}
