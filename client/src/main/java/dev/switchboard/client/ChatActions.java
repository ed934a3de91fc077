package dev.switchboard.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The life of a chat message over a {@link SwitchboardClient} (ADR 0013, docs/protocol.md
 * "Chat payloads"): edit, delete, react, take a reaction back and reply in a thread, each a
 * publish of {@link ChatPayloads} that the client's outbox keeps and retries with one
 * {@code client_msg_id} (so a retry is stored once); and the two reads a client needs to
 * follow a message's life: a thread's replies and the channel's log after a sequence.
 * Every change answers with its entry's sequence in the channel's log; a change that
 * changes nothing (a reaction already there) answers the message's own sequence.
 *
 * <pre>{@code
 * ChatActions chat = new ChatActions(client);
 * chat.react("acme/chat/7", 981, ":+1:").join();
 * HistoryPage replies = chat.threadPage("acme/chat/7", 981, 0, 50).join();
 * }</pre>
 */
public final class ChatActions {
    private final SwitchboardClient client;

    public ChatActions(SwitchboardClient client) {
        this.client = client;
    }

    /** Replaces the text of one of the caller's messages. */
    public CompletableFuture<PublishResult> edit(String channel, long messageId, String text) {
        return client.publish(channel, ChatPayloads.edit(messageId, text), null);
    }

    /** Deletes one of the caller's messages; a tombstone stays in history. */
    public CompletableFuture<PublishResult> delete(String channel, long messageId) {
        return client.publish(channel, ChatPayloads.delete(messageId), null);
    }

    /** Adds the caller's reaction; adding it again changes nothing. */
    public CompletableFuture<PublishResult> react(String channel, long messageId, String emoji) {
        return client.publish(channel, ChatPayloads.reaction(messageId, emoji, true), null);
    }

    /** Takes the caller's reaction back; taking back one that is not there changes nothing. */
    public CompletableFuture<PublishResult> unreact(String channel, long messageId, String emoji) {
        return client.publish(channel, ChatPayloads.reaction(messageId, emoji, false), null);
    }

    /** A reply in the thread of {@code parentId}; {@code alsoToChannel} shows it in the channel too. */
    public CompletableFuture<PublishResult> reply(String channel, long parentId, String text, boolean alsoToChannel) {
        return client.publish(channel, ChatPayloads.reply(parentId, text, alsoToChannel, List.of()), null);
    }

    /**
     * One page of the replies in the thread of {@code rootId}, oldest first, sequences after
     * {@code afterSeq}, each in its current state; page on from {@code nextCursor()} while it is not 0.
     */
    public CompletableFuture<HistoryPage> threadPage(String channel, long rootId, long afterSeq, int limit) {
        return client.threadAfter(channel, rootId, afterSeq, limit);
    }

    /**
     * One page of the channel's log after {@code afterSeq}: new messages and the changes to them,
     * oldest first, each with its message's current state (what recovery and gap filling read).
     */
    public CompletableFuture<HistoryPage> eventsAfter(String channel, long afterSeq, int limit) {
        return client.historyAfter(channel, afterSeq, limit);
    }
}
