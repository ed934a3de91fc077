package dev.switchboard.message;

import dev.switchboard.message.delivery.OrderedPublisher;
import dev.switchboard.message.internal.BlockingExecutor;
import dev.switchboard.message.store.MessageEventStore;
import dev.switchboard.wire.StorableText;
import dev.switchboard.wire.chat.EventKind;
import dev.switchboard.wire.chat.Reaction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Edits, deletes, reactions and thread pages as a non-blocking API: each change is
 * an entry of the channel's log (ADR 0013), stored and then published in sequence
 * order through the same {@link OrderedPublisher} and database workers as sends,
 * so it costs what a send costs. Input is checked here (text length, emoji names,
 * client ids); membership, authorship and the message's state in the store.
 * Obtained from {@link ChatService#events()}.
 */
public final class MessageEvents {
    private final MessageEventStore store;
    private final OrderedPublisher publisher;
    private final BlockingExecutor workers;
    private final ChatServiceOptions options;
    private final Map<EventKind, Timer> timers = new EnumMap<>(EventKind.class);

    MessageEvents(MessageEventStore store, OrderedPublisher publisher, BlockingExecutor workers,
                  ChatServiceOptions options, MeterRegistry registry) {
        this.store = store;
        this.publisher = publisher;
        this.workers = workers;
        this.options = options;
        for (EventKind k : EventKind.values()) {
            if (k != EventKind.MESSAGE) {
                timers.put(k, Timer.builder("switchboard.messages.events").tag("kind", k.wireName())
                        .description("a message event from the call to the broker hand-off: persist, then publish")
                        .publishPercentileHistogram().register(registry));
            }
        }
    }

    /** Whether the store keeps events (false with messages on Cassandra). */
    public boolean supported() {
        return store.supported();
    }

    /** Replaces the text of the caller's own message; completes after commit with the message as edited. */
    public CompletableFuture<SendResult> edit(UserRef actor, long channelId, long messageId, String text,
                                              String clientId) {
        if (text == null) {
            return CompletableFuture.failedFuture(ChatException.badRequest("text is required"));
        }
        if (StorableText.problem("text", text) != null) {
            return CompletableFuture.failedFuture(ChatException.invalidArgument(StorableText.problem("text", text)));
        }
        if (text.length() > options.maxTextLength()) {
            return CompletableFuture.failedFuture(
                    ChatException.badRequest("text longer than " + options.maxTextLength() + " characters"));
        }
        return run(EventKind.EDIT, clientId,
                () -> store.edit(actor, channelId, messageId, text, clientId, publisher));
    }

    /** Deletes the caller's own message, leaving a tombstone. */
    public CompletableFuture<SendResult> delete(UserRef actor, long channelId, long messageId, String clientId) {
        return run(EventKind.DELETE, clientId, () -> store.delete(actor, channelId, messageId, clientId, publisher));
    }

    /** Adds ({@code add}) or removes the caller's {@code emoji} reaction; idempotent. */
    public CompletableFuture<SendResult> react(UserRef actor, long channelId, long messageId, String emoji,
                                               boolean add, String clientId) {
        if (emoji == null || emoji.isBlank()) {
            return CompletableFuture.failedFuture(ChatException.badRequest("emoji is required"));
        }
        if (StorableText.problem("emoji", emoji) != null) {
            return CompletableFuture.failedFuture(ChatException.invalidArgument(StorableText.problem("emoji", emoji)));
        }
        if (emoji.length() > Reaction.MAX_EMOJI_LENGTH) {
            return CompletableFuture.failedFuture(ChatException.badRequest(
                    "emoji longer than " + Reaction.MAX_EMOJI_LENGTH + " characters"));
        }
        if (emoji.chars().anyMatch(Character::isWhitespace)) {
            return CompletableFuture.failedFuture(ChatException.badRequest("emoji must not contain whitespace"));
        }
        EventKind kind = add ? EventKind.REACTION_ADDED : EventKind.REACTION_REMOVED;
        return run(kind, clientId, () -> store.react(actor, channelId, messageId, emoji, add, clientId, publisher));
    }

    /** Replies of a thread after {@code afterSeq}, oldest first. */
    public CompletableFuture<HistoryPage> replies(UserRef reader, long channelId, long rootId, long afterSeq,
                                                  int limit) {
        return workers.submit(() -> store.replies(reader, channelId, rootId, afterSeq, limit));
    }

    private CompletableFuture<SendResult> run(EventKind kind, String clientId,
                                              java.util.function.Supplier<SendResult> change) {
        if (StorableText.problem("client_msg_id", clientId) != null) {
            return CompletableFuture.failedFuture(ChatException.invalidArgument(StorableText.problem("client_msg_id", clientId)));
        }
        if (clientId != null && (clientId.isEmpty() || clientId.length() > NewMessage.MAX_CLIENT_MSG_ID)) {
            return CompletableFuture.failedFuture(
                    ChatException.badRequest("client_msg_id must be 1-" + NewMessage.MAX_CLIENT_MSG_ID + " characters"));
        }
        long start = System.nanoTime();
        return workers.submit(() -> {
            SendResult r = change.get();
            if (!r.duplicate()) {
                timers.get(kind).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            return r;
        });
    }
}
