package dev.switchboard.edge.session;

import dev.switchboard.bridge.Broker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.PublicationBytes;
import dev.switchboard.wire.StorableText;
import dev.switchboard.wire.proto.Publish;
import dev.switchboard.wire.proto.PublishResult;
import java.util.concurrent.CompletableFuture;

/**
 * A session's {@code Publish} command: checked against the session's access and the payload
 * limit, then stored and sequenced by the chat backend (a chat channel) or handed to the
 * broker as an ephemeral publication; answered unless its id is 0 (no reply wanted).
 */
final class Publishing {
    private final Broker broker;
    private final ChatBackend chat;
    private final EdgeMetrics metrics;
    private final int maxPayloadBytes;

    Publishing(Broker broker, ChatBackend chat, EdgeMetrics metrics, int maxPayloadBytes) {
        this.broker = broker;
        this.chat = chat;
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    CompletableFuture<?> publish(Session s, int id, Publish cmd) {
        String channel = cmd.getChannel();
        ErrorCode refused = ChannelAccess.checkPublish(s, channel);
        if (refused != null) {
            s.send(Replies.error(id, refused, CommandDispatcher.refusal(refused, channel)));
            return null;
        }
        if (cmd.getPayload().size() > maxPayloadBytes) {
            s.send(Replies.error(id, ErrorCode.PAYLOAD_TOO_LARGE, "payload over " + maxPayloadBytes + " bytes"));
            return null;
        }
        if (ChannelNames.isChat(channel)) {
            String unstorable = StorableText.problem("client_msg_id", cmd.getClientMsgId());
            if (unstorable != null) {
                s.send(Replies.error(id, ErrorCode.INVALID_ARGUMENT, unstorable));
                return null;
            }
            return chat.send(s.orgId(), s.userId(), ChannelNames.chatId(channel), cmd.getPayload(), cmd.getClientMsgId())
                    .whenComplete((result, err) -> {
                        if (err != null || id != 0) {
                            s.send(err != null ? CommandDispatcher.errorFor(id, err) : Replies.to(id).setPublish(result).build());
                        }
                    });
        }
        long now = System.currentTimeMillis();
        byte[] push = PublicationBytes.ephemeral(channel, s.userId(), now, cmd.getPayload(), cmd.getClientMsgId());
        metrics.publish();
        CompletableFuture<Void> published = broker.publish(channel, push);
        if (published.isDone() && !published.isCompletedExceptionally()) {
            // The in-memory broker (and a local-first one) has fanned it out already: answer now, no callback.
            publishedReply(s, id, now);
            return null;
        }
        return published.whenComplete((v, err) -> {
            if (err != null) {
                s.send(CommandDispatcher.errorFor(id, err));
            } else {
                publishedReply(s, id, now);
            }
        });
    }

    /** The reply to an accepted publish; none to a publish with id 0 (fire-and-forget: no reply wanted, docs/protocol.md). */
    private static void publishedReply(Session s, int id, long timestampMs) {
        if (id != 0) {
            s.send(Replies.to(id).setPublish(PublishResult.newBuilder().setTimestampMs(timestampMs)).build());
        }
    }
}
