package dev.switchboard.edge.session;

import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.RecoveryResult;
import dev.switchboard.wire.proto.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Replays what a reconnecting session missed on a chat channel: live first
 * (the caller began holding back live frames and subscribed), then the stored
 * publications after the client's last sequence, then the held-back live
 * frames newer than the replay. A client too far behind (more than
 * {@link #MAX_REPLAY} publications, or more than the session's soft mark of
 * bytes, or more than fits under it when the replay is ready) is told plainly
 * that it must reload through history; so is one whose recovery gave up
 * holding live traffic (see {@link Recovery}).
 */
final class Recoverer {
    static final int PAGE = 200;
    static final int MAX_REPLAY = 1000;

    private final ChatBackend chat;
    private final dev.switchboard.edge.EdgeLatencies latencies;

    Recoverer(ChatBackend chat, dev.switchboard.edge.EdgeLatencies latencies) {
        this.chat = chat;
        this.latencies = latencies;
    }

    /** Precondition: on the loop, {@code s.beginRecovery(channel)} then the subscription (whose readiness is {@code live}). */
    CompletableFuture<RecoveryResult> recover(Session s, String channel, long sinceSeq, CompletableFuture<Void> live) {
        CompletableFuture<RecoveryResult> result = new CompletableFuture<>();
        live.thenCompose(v -> fetch(s, channel, sinceSeq, new ArrayList<>(), 0))
                .whenComplete((missed, err) -> s.hub().loop().execute(() -> {
                    RecoveryResult.Builder r = RecoveryResult.newBuilder().setChannel(channel).setLastSeq(sinceSeq);
                    long replayedUpTo = sinceSeq;
                    if (err == null && missed.complete() && s.replayFits(channel, missed.bytes())) {
                        for (Publication p : missed.publications()) {
                            s.send(ServerFrame.newBuilder().setPublication(p).build());
                            replayedUpTo = Math.max(replayedUpTo, p.getSeq());
                        }
                        r.setRecovered(true).setLastSeq(replayedUpTo);
                        latencies.recovery(true, missed.publications().size());
                    } else {
                        if (err == null) {
                            r.setLastSeq(missed.newestSeen());
                        }
                        latencies.recovery(false, 0);
                    }
                    s.endRecovery(channel, replayedUpTo);
                    result.complete(r.build());
                }));
        return result;
    }

    private CompletableFuture<Missed> fetch(Session s, String channel, long after, List<Publication> acc, long bytes) {
        return chat.history(s.orgId(), s.userId(), ChannelNames.chatId(channel), true, after, 0, PAGE).thenCompose(page -> {
            acc.addAll(page.getPublicationsList());
            long size = bytes;
            for (Publication p : page.getPublicationsList()) {
                size += p.getSerializedSize() + REPLAY_FRAME_OVERHEAD;
            }
            long newest = acc.isEmpty() ? after : acc.get(acc.size() - 1).getSeq();
            if (acc.size() > MAX_REPLAY || size > s.shared().outbound().softBytes()) {
                return CompletableFuture.completedFuture(new Missed(List.of(), false, newest, 0));
            }
            if (page.getPublicationsCount() < PAGE) {
                return CompletableFuture.completedFuture(new Missed(acc, true, newest, size));
            }
            return fetch(s, channel, newest, acc, size);
        });
    }

    /** What a replayed publication costs beyond its protobuf size: WebSocket header, length prefix, Netty's entry. */
    private static final int REPLAY_FRAME_OVERHEAD = 112;

    private record Missed(List<Publication> publications, boolean complete, long newestSeen, long bytes) {
    }

}
