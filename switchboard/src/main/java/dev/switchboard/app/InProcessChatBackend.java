package dev.switchboard.app;

import com.google.protobuf.ByteString;
import dev.switchboard.edge.chat.ChatSendPayload;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.session.ChatBackendException;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.delivery.ChatFrames;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.SendResult;
import dev.switchboard.wire.chat.EventKind;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.PublishResult;
import dev.switchboard.wire.proto.StreamPosition;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The message-service in the same JVM (dev mode): the edge calls {@link ChatService} directly. */
public final class InProcessChatBackend implements ChatBackend {
    private final ChatService chat;

    public InProcessChatBackend(ChatService chat) {
        this.chat = chat;
    }

    @Override
    public CompletableFuture<List<StreamPosition>> positionsOf(String org, String userId) {
        return translate(chat.memberChannels(new UserRef(org, userId)).thenApply(list -> list.stream()
                .map(c -> StreamPosition.newBuilder().setChannel(c.realtimeName()).setSeq(c.lastSeq()).build())
                .toList()));
    }

    @Override
    public CompletableFuture<Void> checkRead(String org, String userId, long channelId) {
        return translate(chat.channel(new UserRef(org, userId), channelId).thenApply(details -> null));
    }

    @Override
    public CompletableFuture<List<String>> members(String org, String userId, long channelId) {
        return translate(chat.channel(new UserRef(org, userId), channelId).thenApply(d -> d.members()));
    }

    @Override
    public CompletableFuture<PublishResult> send(String org, String userId, long channelId, ByteString payload, String clientMsgId) {
        ChatSendPayload p;
        try {
            p = ChatSendPayload.parse(payload);
            String key = clientMsgId.isEmpty() ? null : clientMsgId;
            UserRef user = new UserRef(org, userId);
            CompletableFuture<SendResult> done = switch (p.kind()) {
                case MESSAGE -> chat.send(user, channelId, new NewMessage(p.text(), p.attachmentsJson(), key,
                        p.parentId(), p.alsoToChannel(), p.mentions()));
                case EDIT -> chat.events().edit(user, channelId, p.messageId(), p.text(), key);
                case DELETE -> chat.events().delete(user, channelId, p.messageId(), key);
                case REACTION_ADDED, REACTION_REMOVED -> chat.events().react(user, channelId, p.messageId(), p.emoji(),
                        p.kind() == EventKind.REACTION_ADDED, key);
            };
            return translate(done.thenApply(r -> result(r.message())));
        } catch (ChatBackendException e) {
            return CompletableFuture.failedFuture(e);
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(new ChatBackendException(e.code(), e.getMessage()));
        }
    }

    @Override
    public CompletableFuture<HistoryResult> history(String org, String userId, long channelId, boolean forward,
                                                    long afterSeq, long beforeSeq, int limit) {
        UserRef reader = new UserRef(org, userId);
        String channel = ChannelNames.chat(org, channelId);
        CompletableFuture<HistoryPage> page = forward
                ? chat.historyAfter(reader, channelId, afterSeq, limit)
                : chat.historyBefore(reader, channelId, beforeSeq, limit);
        return publications(channel, page);
    }

    @Override
    public CompletableFuture<HistoryResult> replies(String org, String userId, long channelId, long rootId,
                                                    long afterSeq, int limit) {
        return publications(ChannelNames.chat(org, channelId),
                chat.events().replies(new UserRef(org, userId), channelId, rootId, afterSeq, limit));
    }

    private static CompletableFuture<HistoryResult> publications(String channel, CompletableFuture<HistoryPage> page) {
        return translate(page.thenApply(p -> {
            HistoryResult.Builder r = HistoryResult.newBuilder();
            p.messages().forEach(m -> r.addPublications(ChatFrames.publicationOf(channel, m)));
            r.setNextCursor(p.nextCursor() == null ? 0 : p.nextCursor());
            return r.build();
        }));
    }

    @Override
    public CompletableFuture<Long> markRead(String org, String userId, long channelId, long seq) {
        return translate(chat.markRead(new UserRef(org, userId), channelId, seq));
    }

    /** The log entry's sequence: an event's, or a new message's own (ADR 0013). */
    private static PublishResult result(Message m) {
        long at = m.event() == null ? m.createdAt().toEpochMilli() : m.event().at().toEpochMilli();
        return PublishResult.newBuilder().setSeq(m.logSeq()).setMessageId(m.id()).setTimestampMs(at).build();
    }

    private static <T> CompletableFuture<T> translate(CompletableFuture<T> f) {
        return f.exceptionallyCompose(err -> {
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof ChatException e) {
                return CompletableFuture.failedFuture(new ChatBackendException(e.code(), e.getMessage()));
            }
            return CompletableFuture.failedFuture(new ChatBackendException(ErrorCode.INTERNAL, cause.toString()));
        });
    }
}
