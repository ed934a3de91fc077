package dev.switchboard.app;

import com.google.protobuf.ByteString;
import dev.switchboard.edge.chat.ChatSendPayload;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.session.ChatBackendException;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.PublishResult;
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
    public CompletableFuture<List<String>> channelsOf(String org, String userId) {
        return translate(chat.memberships(new UserRef(org, userId))
                .thenApply(list -> list.stream().map(s -> s.channel().realtimeName()).toList()));
    }

    @Override
    public CompletableFuture<Void> checkRead(String org, String userId, long channelId) {
        return translate(chat.channel(new UserRef(org, userId), channelId).thenApply(details -> null));
    }

    @Override
    public CompletableFuture<PublishResult> send(String org, String userId, long channelId, ByteString payload, String clientMsgId) {
        ChatSendPayload p;
        try {
            p = ChatSendPayload.parse(payload);
            NewMessage message = new NewMessage(p.text(), p.attachmentsJson(), clientMsgId.isEmpty() ? null : clientMsgId);
            return translate(chat.send(new UserRef(org, userId), channelId, message).thenApply(r -> result(r.message())));
        } catch (ChatBackendException e) {
            return CompletableFuture.failedFuture(e);
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(new ChatBackendException(e.code(), e.getMessage()));
        }
    }

    private static PublishResult result(Message m) {
        return PublishResult.newBuilder().setSeq(m.seq()).setMessageId(m.id()).setTimestampMs(m.createdAt().toEpochMilli()).build();
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
