package dev.switchboard.edge.session;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.PublishResult;
import dev.switchboard.wire.proto.StreamPosition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The edge's view of the message-service: which chat channels a user belongs
 * to, whether they may read one, and the persist-then-deliver send path. In dev
 * mode it is the service in the same JVM; in production an HTTP client.
 *
 * <p>Futures fail with {@link ChatBackendException} carrying the protocol error
 * code to answer with.
 */
public interface ChatBackend {

    /** The chat channels the user is a member of, with their last sequence (server-side subscriptions at connect). */
    CompletableFuture<List<StreamPosition>> positionsOf(String org, String userId);

    /** Realtime names of the chat channels the user is a member of. */
    default CompletableFuture<List<String>> channelsOf(String org, String userId) {
        return positionsOf(org, userId).thenApply(list -> list.stream().map(StreamPosition::getChannel).toList());
    }

    /** Completes normally if the user may read the chat channel, else fails with the error to answer. */
    CompletableFuture<Void> checkRead(String org, String userId, long channelId);

    /** The members of a chat channel the user belongs to (fails like {@link #checkRead} otherwise). */
    CompletableFuture<List<String>> members(String org, String userId, long channelId);

    /** Persists a message and completes after commit with its sequence; delivery goes through the broker. */
    CompletableFuture<PublishResult> send(String org, String userId, long channelId, ByteString payload, String clientMsgId);

    /**
     * Stored publications of a chat channel: {@code forward} = oldest first after
     * {@code afterSeq}; otherwise newest first before {@code beforeSeq} (0 = from the newest).
     * {@code next_cursor} is 0 at the end.
     */
    CompletableFuture<HistoryResult> history(String org, String userId, long channelId, boolean forward,
                                             long afterSeq, long beforeSeq, int limit);

    /**
     * A page of the replies in the thread of {@code rootId}, oldest first, sequences after {@code afterSeq},
     * each in its current state (ADR 0013); {@code next_cursor} is 0 at the end.
     */
    default CompletableFuture<HistoryResult> replies(String org, String userId, long channelId, long rootId,
                                                     long afterSeq, int limit) {
        return CompletableFuture.failedFuture(new ChatBackendException(ErrorCode.UNKNOWN_COMMAND,
                "this node's message-service keeps no threads"));
    }

    /** Moves the user's read checkpoint (never backwards); completes with the checkpoint after the call. */
    CompletableFuture<Long> markRead(String org, String userId, long channelId, long seq);

    /** Whether chat channels exist at all on this node (false without a message-service). */
    default boolean enabled() {
        return true;
    }

    /** No message-service: no chat channels; connect subscribes the personal channel only. */
    ChatBackend NONE = new ChatBackend() {
        @Override
        public CompletableFuture<List<StreamPosition>> positionsOf(String org, String userId) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletableFuture<Void> checkRead(String org, String userId, long channelId) {
            return CompletableFuture.failedFuture(new ChatBackendException(
                    ErrorCode.UNKNOWN_CHANNEL, "no message-service on this node"));
        }

        @Override
        public CompletableFuture<List<String>> members(String org, String userId, long channelId) {
            return CompletableFuture.failedFuture(new ChatBackendException(ErrorCode.UNKNOWN_CHANNEL, "no message-service on this node"));
        }

        @Override
        public CompletableFuture<PublishResult> send(String org, String userId, long channelId, ByteString payload, String clientMsgId) {
            return CompletableFuture.failedFuture(new ChatBackendException(
                    ErrorCode.UNKNOWN_CHANNEL, "no message-service on this node"));
        }

        @Override
        public CompletableFuture<HistoryResult> history(String org, String userId, long channelId, boolean forward,
                                                        long afterSeq, long beforeSeq, int limit) {
            return CompletableFuture.failedFuture(new ChatBackendException(ErrorCode.UNKNOWN_CHANNEL, "no message-service on this node"));
        }

        @Override
        public CompletableFuture<Long> markRead(String org, String userId, long channelId, long seq) {
            return CompletableFuture.failedFuture(new ChatBackendException(ErrorCode.UNKNOWN_CHANNEL, "no message-service on this node"));
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };
}
