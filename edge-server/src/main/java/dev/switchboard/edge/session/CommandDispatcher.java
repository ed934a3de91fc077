package dev.switchboard.edge.session;

import dev.switchboard.auth.Claims;
import dev.switchboard.auth.TokenException;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.Broker;
import dev.switchboard.wire.proto.RefreshResult;
import dev.switchboard.bridge.BrokerUnavailableException;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Connect;
import dev.switchboard.wire.ConnectReplyBytes;
import dev.switchboard.wire.proto.RecoveryResult;
import dev.switchboard.wire.proto.StreamPosition;
import dev.switchboard.wire.proto.History;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.Pong;
import dev.switchboard.wire.proto.PresenceResult;
import dev.switchboard.edge.presence.PresenceService;
import dev.switchboard.wire.proto.ReadCheckpoint;
import dev.switchboard.wire.proto.ReadResult;
import dev.switchboard.wire.proto.Typing;
import dev.switchboard.wire.proto.TypingEvent;
import dev.switchboard.wire.proto.TypingResult;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribe;
import dev.switchboard.wire.SubscribeReplyBytes;
import dev.switchboard.wire.proto.UnsubscribeResult;
import io.netty.buffer.ByteBuf;
import dev.switchboard.wire.ProtocolException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
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
    private final Recoverer recoverer;
    private final PresenceService presence;
    private final TokenVerifier tokens;
    private final Publishing publishing;
    static final int DEFAULT_HISTORY_LIMIT = 50;
    static final int MAX_HISTORY_LIMIT = 200;

    public CommandDispatcher(String nodeId, TokenVerifier tokens, Broker broker, ChatBackend chat, PresenceService presence, EdgeMetrics metrics,
                             int maxPayloadBytes, int maxChannelsPerSession, int heartbeatIntervalMs, int idleTimeoutMs) {
        this.nodeId = nodeId;
        this.broker = broker;
        this.chat = chat;
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxChannelsPerSession = maxChannelsPerSession;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.recoverer = new Recoverer(chat, metrics.latencies());
        this.presence = presence;
        this.tokens = tokens;
        this.publishing = new Publishing(broker, chat, metrics, maxPayloadBytes);
    }

    /**
     * Decodes one WebSocket message of a session and runs its commands, each within
     * the connection's command budget: over it, a command gets TOO_MANY_REQUESTS;
     * more than a burst of refusals in a row closes the session (RATE_LIMITED).
     */
    void dispatchAll(Session s, ByteBuf body) {
        SessionShared shared = s.shared();
        List<ClientFrame> frames;
        try {
            frames = shared.codec().decodeClientFrames(body);
        } catch (ProtocolException e) {
            metrics.protocolError();
            s.disconnect(DisconnectCode.PROTOCOL_ERROR, e.getMessage());
            return;
        }
        for (ClientFrame frame : frames) {
            if (s.isClosing()) {
                return;
            }
            if (CommandBudget.admit(s, shared)) {
                dispatch(s, frame);
            } else if (frame.getId() != 0 && !s.isClosing()) {
                s.send(Replies.error(frame.getId(), ErrorCode.TOO_MANY_REQUESTS,
                        "over " + shared.commandRate() + " commands per second: slow down"));
            }
        }
    }

    /** Runs one command; its latency (to the reply, async work included) is recorded by command. */
    void dispatch(Session s, ClientFrame frame) {
        long start = System.nanoTime();
        ClientFrame.CommandCase command = frame.getCommandCase();
        CompletableFuture<?> done = run(s, frame, command);
        if (done == null || done.isDone()) {
            metrics.latencies().command(command, start);
        } else {
            done.whenComplete((v, err) -> metrics.latencies().command(command, start));
        }
    }

    /** Null when answered at once; otherwise completes once the reply is handed to the session. */
    private CompletableFuture<?> run(Session s, ClientFrame frame, ClientFrame.CommandCase command) {
        int id = frame.getId();
        if (!s.isConnected() && command != ClientFrame.CommandCase.CONNECT && command != ClientFrame.CommandCase.PING) {
            s.send(Replies.error(id, ErrorCode.NOT_CONNECTED, "send connect first"));
            return null;
        }
        switch (command) {
            case CONNECT -> { return connect(s, id, frame.getConnect()); }
            case PING -> s.send(Replies.to(id).setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce())).build());
            case SUBSCRIBE -> { return subscribe(s, id, frame.getSubscribe()); }
            case UNSUBSCRIBE -> unsubscribe(s, id, frame.getUnsubscribe().getChannel());
            case PUBLISH -> { return publishing.publish(s, id, frame.getPublish()); }
            case HISTORY -> { return history(s, id, frame.getHistory()); }
            case READ -> { return read(s, id, frame.getRead()); }
            case TYPING -> { return typing(s, id, frame.getTyping()); }
            case PRESENCE -> { return presence(s, id, frame.getPresence().getChannel()); }
            case REFRESH -> refresh(s, id, frame.getRefresh().getToken());
            case COMMAND_NOT_SET -> s.send(Replies.error(id, ErrorCode.BAD_REQUEST, "frame without a command"));
            default -> s.send(Replies.error(id, ErrorCode.UNKNOWN_COMMAND, command + " is not supported by this node"));
        }
        return null;
    }

    private CompletableFuture<?> connect(Session s, int id, Connect cmd) {
        if (s.isConnected()) {
            s.send(Replies.error(id, ErrorCode.ALREADY_CONNECTED, null));
            return null;
        }
        s.markConnected();
        CompletableFuture<Void> done = new CompletableFuture<>();
        chat.positionsOf(s.orgId(), s.userId()).whenComplete((chatPositions, err) -> s.hub().loop().execute(() -> {
            if (err != null) {
                log.warn("memberships of {} unavailable: {}", s, err.toString());
                s.disconnect(DisconnectCode.INSUFFICIENT_STATE, "memberships unavailable, retry later", 5000);
                done.complete(null);
                return;
            }
            List<String> chatChannels = channelsOf(chatPositions);
            List<String> channels = new ArrayList<>(chatChannels.size() + 1);
            channels.add(ChannelNames.personal(s.orgId(), s.userId()));
            channels.addAll(chatChannels);
            Map<String, Long> positions = new HashMap<>();
            // A set, not the list: the client's positions and the memberships may each number thousands.
            Set<String> member = cmd.getPositionsCount() == 0 ? Set.of() : new HashSet<>(chatChannels);
            for (StreamPosition p : cmd.getPositionsList()) {
                if (member.contains(p.getChannel())) {
                    positions.put(p.getChannel(), p.getSeq());
                }
            }
            List<CompletableFuture<Void>> ready = new ArrayList<>(channels.size());
            List<CompletableFuture<RecoveryResult>> recovered = new ArrayList<>();
            for (String channel : channels) {
                if (s.isSubscribed(channel)) {
                    continue;
                }
                Long since = positions.get(channel);
                if (since != null) {
                    // Hold live frames back before subscribing, so none slips in ahead of the replay.
                    s.beginRecovery(channel);
                }
                CompletableFuture<Void> live = s.subscribe(channel);
                ready.add(live);
                if (since != null) {
                    recovered.add(recoverer.recover(s, channel, since, live));
                }
            }
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new))
                    .thenCompose(v -> CompletableFuture.allOf(recovered.toArray(CompletableFuture[]::new)))
                    .whenComplete((v, subErr) -> {
                        if (subErr != null) {
                            s.disconnect(DisconnectCode.INSUFFICIENT_STATE, "broker unavailable, retry later", 2000);
                            done.complete(null);
                            return;
                        }
                        List<RecoveryResult> results = new ArrayList<>(recovered.size());
                        recovered.forEach(r -> results.add(r.join()));
                        ConnectReplyBytes reply = new ConnectReplyBytes(nodeId + "-" + s.id(), nodeId, s.userId(), s.orgId(),
                                heartbeatIntervalMs, idleTimeoutMs, s.tokenExpiresAtMs(), channels, results, chatPositions);
                        s.sendEncoded(alloc -> reply.frame(alloc, id));
                        done.complete(null);
                        s.hub().loop().execute(() -> s.markPresent(chatChannels));
                    });
        }));
        return done;
    }

    /** The channels of {@code positions}, in order (a loop, not a stream: once per Connect, usually none). */
    private static List<String> channelsOf(List<StreamPosition> positions) {
        if (positions.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(positions.size());
        for (StreamPosition p : positions) {
            out.add(p.getChannel());
        }
        return List.copyOf(out);
    }

    private CompletableFuture<?> subscribe(Session s, int id, Subscribe cmd) {
        String channel = cmd.getChannel();
        ErrorCode refused = ChannelAccess.checkSubscribe(s, channel);
        if (refused != null) {
            s.send(Replies.error(id, refused, refusal(refused, channel)));
            return null;
        }
        if (s.isSubscribed(channel)) {
            s.send(Replies.error(id, ErrorCode.ALREADY_SUBSCRIBED, null));
            return null;
        }
        if (s.subscriptionCount() >= maxChannelsPerSession) {
            s.send(Replies.error(id, ErrorCode.LIMIT_EXCEEDED, "at most " + maxChannelsPerSession + " channels per connection"));
            return null;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> allowed = ChannelNames.isChat(channel)
                ? chat.checkRead(s.orgId(), s.userId(), ChannelNames.chatId(channel))
                : CompletableFuture.completedFuture(null);
        allowed.whenComplete((v, err) -> s.hub().loop().execute(() -> {
            if (err != null) {
                s.send(errorFor(id, err));
                done.complete(null);
            } else if (s.isClosing() || s.isSubscribed(channel)) {
                s.send(Replies.error(id, s.isClosing() ? ErrorCode.INTERNAL : ErrorCode.ALREADY_SUBSCRIBED, null));
                done.complete(null);
            } else if (s.subscriptionCount() >= maxChannelsPerSession) {
                // Checked again: the subscribes of one message (or those waiting on the membership check) all passed
                // the check above before any of them was added.
                s.send(Replies.error(id, ErrorCode.LIMIT_EXCEEDED, "at most " + maxChannelsPerSession + " channels per connection"));
                done.complete(null);
            } else if (cmd.getRecover() && ChannelNames.isChat(channel)) {
                s.beginRecovery(channel);
                CompletableFuture<Void> live = s.subscribe(channel);
                recoverer.recover(s, channel, cmd.getSinceSeq(), live).whenComplete((r, recErr) -> {
                    if (recErr != null || live.isCompletedExceptionally()) {
                        s.hub().loop().execute(() -> s.unsubscribe(channel));
                        s.send(errorFor(id, recErr != null ? recErr : live.exceptionNow()));
                    } else {
                        s.sendEncoded(alloc -> SubscribeReplyBytes.frame(alloc, id, r.getRecovered(), r.getLastSeq()));
                    }
                    done.complete(null);
                });
            } else {
                s.subscribe(channel).whenComplete((ok, subErr) -> {
                    if (subErr != null) {
                        s.hub().loop().execute(() -> s.unsubscribe(channel));
                        s.send(errorFor(id, subErr));
                    } else {
                        // Ephemeral channels keep no history: a recovery request cannot be honoured.
                        s.sendEncoded(alloc -> SubscribeReplyBytes.frame(alloc, id, !cmd.getRecover(), 0));
                    }
                    done.complete(null);
                });
            }
        }));
        return done;
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

    private CompletableFuture<?> history(Session s, int id, History cmd) {
        String channel = cmd.getChannel();
        if (!chatChannelOf(s, id, channel)) {
            return null;
        }
        int limit = cmd.getLimit() <= 0 ? DEFAULT_HISTORY_LIMIT : Math.min(cmd.getLimit(), MAX_HISTORY_LIMIT);
        long channelId = ChannelNames.chatId(channel);
        CompletableFuture<HistoryResult> read = cmd.getThreadId() != 0
                ? chat.replies(s.orgId(), s.userId(), channelId, cmd.getThreadId(), cmd.getAfterSeq(), limit)
                : chat.history(s.orgId(), s.userId(), channelId, cmd.getForward(), cmd.getAfterSeq(), cmd.getBeforeSeq(), limit);
        return read.whenComplete((page, err) -> s.onLoop(() -> s.send(err != null ? errorFor(id, err)
                        // Cut to what the session's budget has room for: a client that pages on gets the rest.
                        : Replies.to(id).setHistory(OutboundBudget.fit(page, s.historyRoom())).build())));
    }

    private CompletableFuture<?> read(Session s, int id, ReadCheckpoint cmd) {
        String channel = cmd.getChannel();
        if (!chatChannelOf(s, id, channel)) {
            return null;
        }
        return chat.markRead(s.orgId(), s.userId(), ChannelNames.chatId(channel), cmd.getSeq())
                .whenComplete((seq, err) -> s.send(err != null ? errorFor(id, err) : Replies.to(id).setRead(ReadResult.newBuilder().setSeq(seq)).build()));
    }

    /** Typing is ephemeral (never stored) and rate limited per session; only on channels the session is subscribed to. */
    private CompletableFuture<?> typing(Session s, int id, Typing cmd) {
        String channel = cmd.getChannel();
        if (!s.isSubscribed(channel) || ChannelNames.isPersonal(channel)) {
            if (id != 0) {
                s.send(Replies.error(id, ErrorCode.NOT_SUBSCRIBED, "typing needs a subscription to " + channel));
            }
            return null;
        }
        if (!CommandBudget.allowTyping(s)) {
            if (id != 0) {
                s.send(Replies.error(id, ErrorCode.TOO_MANY_REQUESTS, "typing at most once per second"));
            }
            return null;
        }
        byte[] event = ServerFrame.newBuilder().setTypingEvent(TypingEvent.newBuilder()
                .setChannel(channel).setUserId(s.userId())).build().toByteArray();
        return broker.publish(channel, event).whenComplete((v, err) -> {
            if (id != 0) {
                s.send(err != null ? errorFor(id, err) : Replies.to(id).setTyping(TypingResult.getDefaultInstance()).build());
            }
        });
    }

    /**
     * Who is online in a channel: for chat channels the members with a live lease
     * anywhere in the fleet; for ephemeral channels the users subscribed on this node.
     */
    private CompletableFuture<?> presence(Session s, int id, String channel) {
        ErrorCode refused = ChannelAccess.checkSubscribe(s, channel);
        if (refused != null) {
            s.send(Replies.error(id, refused, refusal(refused, channel)));
            return null;
        }
        CompletableFuture<PresenceResult> result;
        if (ChannelNames.isChat(channel)) {
            // The member list also checks that the asking user is a member, for every query; the answer is shared
            // (PresenceAnswers). Offline members come with when they were last online (their last lease's end).
            result = chat.members(s.orgId(), s.userId(), ChannelNames.chatId(channel))
                    .thenCompose(members -> presence.answers().answer(channel, () -> presence.online(s.orgId(), members)
                            .thenCombine(presence.lastSeen(s.orgId(), members), (on, seen) -> {
                                PresenceResult.Builder b = PresenceResult.newBuilder().addAllOnlineUserIds(new java.util.TreeSet<>(on));
                                seen.forEach((user, at) -> {
                                    if (!on.contains(user)) {
                                        b.putLastSeenMs(user, at);
                                    }
                                });
                                return b.build();
                            })));
        } else if (ChannelNames.isPersonal(channel)) {
            result = CompletableFuture.completedFuture(PresenceResult.newBuilder().addOnlineUserIds(s.userId()).build());
        } else {
            result = presence.answers().answer(channel, () -> s.hub().hub().localUsers(channel)
                    .thenApply(users -> PresenceResult.newBuilder().addAllOnlineUserIds(new java.util.TreeSet<>(users)).build()));
        }
        return result.whenComplete((r, err) -> s.send(err != null ? errorFor(id, err) : Replies.to(id).setPresence(r).build()));
    }

    /**
     * Replaces the session's token before it expires: the new token must verify and
     * name the same user and organisation; the session then lives until its expiry.
     */
    private void refresh(Session s, int id, String token) {
        Claims claims;
        try {
            claims = tokens.verify(token);
        } catch (TokenException e) {
            s.send(Replies.error(id, e.reason() == TokenException.Reason.EXPIRED ? ErrorCode.TOKEN_EXPIRED : ErrorCode.UNAUTHORIZED,
                    e.getMessage()));
            return;
        }
        if (!claims.userId().equals(s.userId()) || !claims.orgId().equals(s.orgId())) {
            s.send(Replies.error(id, ErrorCode.PERMISSION_DENIED, "the new token is for another user"));
            return;
        }
        s.tokenExpiresAtMs(claims.expiresAtMs());
        s.send(Replies.to(id).setRefresh(RefreshResult.newBuilder().setTokenExpiresAtMs(claims.expiresAtMs())).build());
    }

    /** Whether {@code channel} is a chat channel of the session's org; answers the error if not. */
    private boolean chatChannelOf(Session s, int id, String channel) {
        ErrorCode refused = ChannelAccess.checkSubscribe(s, channel);
        if (refused == null && !ChannelNames.isChat(channel)) {
            refused = ErrorCode.BAD_REQUEST;
        }
        if (refused != null) {
            s.send(Replies.error(id, refused, refused == ErrorCode.BAD_REQUEST ? "history and read checkpoints exist on chat channels only" : refusal(refused, channel)));
            return false;
        }
        return true;
    }

    static String refusal(ErrorCode code, String channel) {
        return switch (code) {
            case BAD_REQUEST -> "invalid channel name: " + channel;
            case PERMISSION_DENIED -> "no access to " + channel;
            default -> null;
        };
    }

    static ServerFrame errorFor(int id, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof ChatBackendException e) {
            return Replies.error(id, e.code(), e.getMessage());
        }
        if (cause instanceof BrokerUnavailableException) {
            // The cause names internal hosts and client state: it goes to the log, the client gets a fixed message.
            log.debug("command {}: broker unavailable", id, cause);
            return Replies.error(id, ErrorCode.UNAVAILABLE, "broker unavailable, retry later");
        }
        log.warn("command {} failed", id, cause);
        return Replies.error(id, ErrorCode.INTERNAL, null);
    }
}
