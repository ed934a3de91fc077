package dev.switchboard.edge.session;

import dev.switchboard.wire.proto.MayHaveMissed;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.PresenceChanges;
import dev.switchboard.wire.proto.ReadReceipt;
import dev.switchboard.wire.proto.ServerFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session owes its client while its socket is backlogged (over the
 * write-buffer high-water mark): the only per-session state of the slow-consumer
 * policy ({@link OutboundBudget}). It is created when the session becomes
 * unwritable and dropped when the socket drains, so a session that keeps up pays
 * one null field for it. Loop only; it holds no buffers.
 *
 * <p>It keeps since when the session is backlogged (the slow-consumer timeout),
 * the channels whose publications were shed with the sequence they were shed
 * after (each is owed a {@code may_have_missed}), and conflated state events:
 * the newest presence of each user and the newest read checkpoint of each reader
 * per channel, owed as fresh frames. Typing events are dropped and owe nothing.
 */
final class Backlog {
    /** What one remembered entry costs beyond its strings (map node, boxed value), counted against the budget. */
    private static final int ENTRY_BYTES = 64;

    private final int sinceTick;
    /** Channel → the sequence after which publications were shed (0: unknown, or a channel without sequences). */
    private Map<String, Long> shed;
    /** Channel → user → online, the newest of the presence changes not written. */
    private Map<String, Map<String, Boolean>> presence;
    /** Channel → reader → newest read checkpoint not written. */
    private Map<String, Map<String, Long>> receipts;
    private int bytes;

    Backlog(int sinceTick) {
        this.sinceTick = sinceTick;
    }

    /** The sweep tick at which the session became backlogged. */
    int sinceTick() {
        return sinceTick;
    }

    /** An estimate of the memory the remembered entries hold (counted as outbound bytes of the session). */
    int bytes() {
        return bytes;
    }

    boolean isShed(String channel) {
        return shed != null && shed.containsKey(channel);
    }

    /** Stops writing publications of {@code channel} until the session drains; owes a may_have_missed after {@code sinceSeq}. */
    void shed(String channel, long sinceSeq) {
        if (shed == null) {
            shed = new LinkedHashMap<>();
        }
        if (shed.putIfAbsent(channel, sinceSeq) == null) {
            bytes += ENTRY_BYTES + 2 * channel.length();
        }
    }

    /** Keeps the state a presence or read-receipt push says in place of the push (the newest wins). */
    void conflate(ServerFrame push) {
        switch (push.getBodyCase()) {
            case PRESENCE_CHANGES -> {
                PresenceChanges changes = push.getPresenceChanges();
                for (PresenceChange c : changes.getChangesList()) {
                    presence(changes.getChannel(), c.getUserId(), c.getOnline());
                }
            }
            case PRESENCE_CHANGE -> presence(push.getPresenceChange().getChannel(), push.getPresenceChange().getUserId(),
                    push.getPresenceChange().getOnline());
            case READ_RECEIPT -> {
                ReadReceipt r = push.getReadReceipt();
                // A checkpoint never moves backwards, so the highest is the newest.
                Long old = byChannel(receipts(), r.getChannel()).merge(r.getUserId(), r.getSeq(), Math::max);
                count(old == null, r.getChannel(), r.getUserId());
            }
            default -> throw new IllegalArgumentException("not a state event: " + push.getBodyCase());
        }
    }

    private void presence(String channel, String user, boolean online) {
        if (presence == null) {
            presence = new LinkedHashMap<>();
        }
        count(byChannel(presence, channel).put(user, online) == null, channel, user);
    }

    private Map<String, Map<String, Long>> receipts() {
        if (receipts == null) {
            receipts = new LinkedHashMap<>();
        }
        return receipts;
    }

    private static <V> Map<String, V> byChannel(Map<String, Map<String, V>> maps, String channel) {
        return maps.computeIfAbsent(channel, c -> new LinkedHashMap<>());
    }

    private void count(boolean added, String channel, String user) {
        if (added) {
            bytes += ENTRY_BYTES + 2 * (channel.length() + user.length());
        }
    }

    /**
     * The frames owed once the socket drained: a {@code may_have_missed} per shed channel,
     * then one {@code presence_changes} per channel and the newest read receipts.
     */
    List<ServerFrame> owed(String reason) {
        List<ServerFrame> out = new ArrayList<>();
        if (shed != null) {
            shed.forEach((channel, since) -> out.add(ServerFrame.newBuilder().setMayHaveMissed(MayHaveMissed.newBuilder()
                    .setChannel(channel).setSinceSeq(since).setReason(reason)).build()));
        }
        if (presence != null) {
            presence.forEach((channel, users) -> {
                PresenceChanges.Builder b = PresenceChanges.newBuilder().setChannel(channel);
                users.forEach((user, online) -> b.addChanges(PresenceChange.newBuilder()
                        .setUserId(user).setOnline(online).setChannel(channel)));
                out.add(ServerFrame.newBuilder().setPresenceChanges(b).build());
            });
        }
        if (receipts != null) {
            receipts.forEach((channel, readers) -> readers.forEach((user, seq) -> out.add(ServerFrame.newBuilder()
                    .setReadReceipt(ReadReceipt.newBuilder().setChannel(channel).setUserId(user).setSeq(seq)).build())));
        }
        return out;
    }
}
