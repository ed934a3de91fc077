package dev.switchboard.edge.session;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.BrokerUnavailableException;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Pong;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.Publish;
import dev.switchboard.wire.proto.PublishResult;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribe;
import dev.switchboard.wire.proto.SubscribeResult;
import dev.switchboard.wire.proto.UnsubscribeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes client commands for every session of a node. Called on the session's
 * event loop; anything slow (broker, message-service) is asynchronous and its
 * reply is written from the future's callback. Session state is only changed on
 * the session's loop.
 */
public final class CommandDispatcher {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

    private final String nodeId;
    private final Broker broker;
    private final ChatBackend chat;
    private final EdgeMetrics metrics;
    private final int maxPayloadBytes;
    private final int maxChannelsPerSession;
    private final int heartbeatIntervalMs;
    private final int idleTimeoutMs;

    public CommandDispatcher(String nodeId, Broker broker, ChatBackend chat, EdgeMetrics metrics,
                             int maxPayloadBytes, int maxChannelsPerSession, int heartbeatIntervalMs, int idleTimeoutMs) {
        this.nodeId = nodeId;
        this.broker = broker;
        this.chat = chat;
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxChannelsPerSession = maxChannelsPerSession;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    void dispatch(Session s, ClientFrame frame) {
        int id = frame.getId();
        ClientFrame.CommandCase command = frame.getCommandCase();
        if (!s.isConnected() && command != ClientFrame.CommandCase.CONNECT && command != ClientFrame.CommandCase.PING) {
            s.send(Replies.error(id, ErrorCode.NOT_CONNECTED, "send connect first"));
            return;
        }
        switch (command) {
            case CONNECT -> connect(s, id);
            case PING -> s.send(Replies.to(id).setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce())).build());
            case SUBSCRIBE -> subscribe(s, id, frame.getSubscribe());
            case UNSUBSCRIBE -> unsubscribe(s, id, frame.getUnsubscribe().getChannel());
            case PUBLISH -> publish(s, id, frame.getPublish());
            case COMMAND_NOT_SET -> s.send(Replies.error(id, ErrorCode.BAD_REQUEST, "frame without a command"));
            default -> s.send(Replies.error(id, ErrorCode.UNKNOWN_COMMAND, command + " is not supported by this node"));
        }
    }

    private void connect(Session s, int id) {
        if (s.isConnected()) {
            s.send(Replies.error(id, ErrorCode.ALREADY_CONNECTED, null));
            return;
        }
        s.markConnected();
        chat.channelsOf(s.orgId(), s.userId()).whenComplete((chatChannels, err) -> s.hub().loop().execute(() -> {
            if (err != null) {
                log.warn("memberships of {} unavailable: {}", s, err.toString());
                s.disconnect(DisconnectCode.INSUFFICIENT_STATE, "memberships unavailable, retry later", 5000);
                return;
            }
            List<String> channels = new ArrayList<>(chatChannels.size() + 1);
            channels.add(ChannelNames.personal(s.orgId(), s.userId()));
            channels.addAll(chatChannels);
            List<CompletableFuture<Void>> ready = new ArrayList<>(channels.size());
            for (String channel : channels) {
                if (!s.isSubscribed(channel)) {
                    ready.add(s.subscribe(channel));
                }
            }
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).whenComplete((v, subErr) -> {
                if (subErr != null) {
                    s.disconnect(DisconnectCode.INSUFFICIENT_STATE, "broker unavailable, retry later", 2000);
                    return;
                }
                s.send(Replies.to(id).setConnect(ConnectResult.newBuilder()
                        .setSessionId(nodeId + "-" + s.id()).setNodeId(nodeId)
                        .setUserId(s.userId()).setOrgId(s.orgId())
                        .setHeartbeatIntervalMs(heartbeatIntervalMs).setIdleTimeoutMs(idleTimeoutMs)
                        .setTokenExpiresAtMs(s.tokenExpiresAtMs())
                        .addAllChannels(channels)).build());
            });
        }));
    }

    private void subscribe(Session s, int id, Subscribe cmd) {
        String channel = cmd.getChannel();
        ErrorCode refused = ChannelAccess.checkSubscribe(s, channel);
        if (refused != null) {
            s.send(Replies.error(id, refused, refusal(refused, channel)));
            return;
        }
        if (s.isSubscribed(channel)) {
            s.send(Replies.error(id, ErrorCode.ALREADY_SUBSCRIBED, null));
            return;
        }
        if (s.subscriptionCount() >= maxChannelsPerSession) {
            s.send(Replies.error(id, ErrorCode.LIMIT_EXCEEDED, "at most " + maxChannelsPerSession + " channels per connection"));
            return;
        }
        CompletableFuture<Void> allowed = ChannelNames.isChat(channel)
                ? chat.checkRead(s.orgId(), s.userId(), ChannelNames.chatId(channel))
                : CompletableFuture.completedFuture(null);
        allowed.whenComplete((v, err) -> s.hub().loop().execute(() -> {
            if (err != null) {
                s.send(errorFor(id, err));
            } else if (s.isClosing() || s.isSubscribed(channel)) {
                s.send(Replies.error(id, s.isClosing() ? ErrorCode.INTERNAL : ErrorCode.ALREADY_SUBSCRIBED, null));
            } else {
                s.subscribe(channel).whenComplete((ok, subErr) -> {
                    if (subErr != null) {
                        s.hub().loop().execute(() -> s.unsubscribe(channel));
                        s.send(errorFor(id, subErr));
                    } else {
                        s.send(Replies.to(id).setSubscribe(SubscribeResult.getDefaultInstance()).build());
                    }
                });
            }
        }));
    }

    private void unsubscribe(Session s, int id, String channel) {
        if (ChannelNames.isValid(channel) && ChannelNames.isPersonal(channel)) {
            s.send(Replies.error(id, ErrorCode.PERMISSION_DENIED, "the personal channel cannot be left"));
        } else if (s.unsubscribe(channel)) {
            s.send(Replies.to(id).setUnsubscribe(UnsubscribeResult.getDefaultInstance()).build());
        } else {
            s.send(Replies.error(id, ErrorCode.NOT_SUBSCRIBED, null));
        }
    }

    private void publish(Session s, int id, Publish cmd) {
        String channel = cmd.getChannel();
        ErrorCode refused = ChannelAccess.checkPublish(s, channel);
        if (refused != null) {
            s.send(Replies.error(id, refused, refusal(refused, channel)));
            return;
        }
        if (cmd.getPayload().size() > maxPayloadBytes) {
            s.send(Replies.error(id, ErrorCode.PAYLOAD_TOO_LARGE, "payload over " + maxPayloadBytes + " bytes"));
            return;
        }
        if (ChannelNames.isChat(channel)) {
            chat.send(s.orgId(), s.userId(), ChannelNames.chatId(channel), cmd.getPayload(), cmd.getClientMsgId())
                    .whenComplete((result, err) -> s.send(err != null ? errorFor(id, err) : Replies.to(id).setPublish(result).build()));
            return;
        }
        long now = System.currentTimeMillis();
        byte[] push = ServerFrame.newBuilder().setPublication(Publication.newBuilder()
                .setChannel(channel).setSenderId(s.userId()).setTimestampMs(now)
                .setPayload(cmd.getPayload()).setClientMsgId(cmd.getClientMsgId())).build().toByteArray();
        metrics.publish();
        broker.publish(channel, push).whenComplete((v, err) -> s.send(err != null
                ? errorFor(id, err)
                : Replies.to(id).setPublish(PublishResult.newBuilder().setTimestampMs(now)).build()));
    }

    private static String refusal(ErrorCode code, String channel) {
        return switch (code) {
            case BAD_REQUEST -> "invalid channel name: " + channel;
            case PERMISSION_DENIED -> "no access to " + channel;
            default -> null;
        };
    }

    private static ServerFrame errorFor(int id, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof ChatBackendException e) {
            return Replies.error(id, e.code(), e.getMessage());
        }
        if (cause instanceof BrokerUnavailableException) {
            return Replies.error(id, ErrorCode.UNAVAILABLE, "broker unavailable: " + cause.getMessage());
        }
        log.warn("command {} failed", id, cause);
        return Replies.error(id, ErrorCode.INTERNAL, null);
    }
}
