package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.DriverException;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelDetails;
import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.Membership;
import dev.switchboard.message.MembershipUpdate;
import dev.switchboard.message.Opened;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.ChannelStore;
import dev.switchboard.message.store.JdbcChannelStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Channels and membership stay relational (the {@code relational} store: who
 * may see and send, flags, DMs); their positions come from Cassandra: a
 * channel's last sequence from its log, a member's checkpoint from
 * {@code read_positions}. "My channels" counts unread messages and mentions from
 * the log after each checkpoint ({@link UnreadCounts}), as the relational store
 * counts its rows; its order is the relational affinity, which reads and sends
 * raise. The relational columns
 * {@code channels.last_seq} and {@code memberships.last_read_seq} are not used.
 */
final class CassandraChannelStore implements ChannelStore {
    private final JdbcChannelStore relational;
    private final ChannelLog channelLog;
    private final ReadPositions positions;

    CassandraChannelStore(JdbcChannelStore relational, ChannelLog channelLog, ReadPositions positions) {
        this.relational = relational;
        this.channelLog = channelLog;
        this.positions = positions;
    }

    @Override
    public ChannelDetails createGroup(UserRef creator, String name, List<String> members) {
        return relational.createGroup(creator, name, members); // new: nothing sent, nothing read
    }

    @Override
    public Opened openDm(UserRef me, String other) {
        Opened o = relational.openDm(me, other);
        if (o.created()) {
            return o;
        }
        return new Opened(new ChannelDetails(positioned(o.details().channel()), o.details().members()), false);
    }

    @Override
    public ChannelDetails details(UserRef caller, long channelId) {
        ChannelDetails d = relational.details(caller, channelId);
        return new ChannelDetails(positioned(d.channel()), d.members());
    }

    @Override
    public ChannelSummary membership(UserRef caller, long channelId) {
        ChannelSummary s = relational.membership(caller, channelId);
        return cassandra(() -> {
            Channel positioned = positioned(s.channel());
            return counted(s, positioned, caller.userId(), positions.of(caller, channelId));
        });
    }

    /** A new member has read everything before they joined: their checkpoint starts at the channel's head. */
    @Override
    public ChannelSummary addMember(UserRef caller, long channelId, String userId) {
        ChannelSummary s = relational.addMember(caller, channelId, userId);
        return cassandra(() -> {
            Channel channel = positioned(s.channel());
            if (channel.lastSeq() > 0) {
                positions.advance(new UserRef(caller.org(), userId), channelId, channel.lastSeq())
                        .toCompletableFuture().join();
            }
            return new ChannelSummary(channel, withCheckpoint(s.membership(), channel.lastSeq()));
        });
    }

    @Override
    public Channel removeMember(UserRef caller, long channelId, String userId) {
        return positioned(relational.removeMember(caller, channelId, userId));
    }

    @Override
    public Membership updateMembership(UserRef caller, long channelId, MembershipUpdate update) {
        Membership m = relational.updateMembership(caller, channelId, update);
        return cassandra(() -> withCheckpoint(m, positions.of(caller, channelId)));
    }

    @Override
    public long markRead(UserRef caller, long channelId, long seq) {
        if (seq < 0) {
            throw ChatException.badRequest("seq must be >= 0");
        }
        relational.memberChannel(caller, channelId); // 404 / 403
        long read = cassandra(() -> {
            long target = Math.min(seq, channelLog.head(channelId));
            long current = positions.of(caller, channelId);
            if (target > current) {
                positions.advance(caller, channelId, target).toCompletableFuture().join();
            }
            return Math.max(target, current);
        });
        relational.acted(caller, channelId);
        return read;
    }

    @Override
    public List<ChannelSummary> memberships(UserRef user) {
        List<ChannelSummary> rows = relational.memberships(user);
        if (rows.isEmpty()) {
            return rows;
        }
        return cassandra(() -> {
            List<Channel> positioned = positioned(rows.stream().map(ChannelSummary::channel).toList());
            Map<Long, Long> checkpoints = positions.of(user);
            List<ChannelSummary> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Channel c = positioned.get(i);
                out.add(counted(rows.get(i), c, user.userId(), checkpoints.getOrDefault(c.id(), 0L)));
            }
            return out;
        });
    }

    /** The relational rows with each channel's head from the log; no counts, no checkpoints. */
    @Override
    public List<Channel> memberChannels(UserRef user) {
        List<Channel> rows = relational.memberChannels(user);
        return rows.isEmpty() ? rows : cassandra(() -> positioned(rows));
    }

    /** {@code channels} with their heads from the log, read in parallel, in the same order. */
    private List<Channel> positioned(List<Channel> channels) {
        List<CompletableFuture<Long>> heads = new ArrayList<>(channels.size());
        for (Channel c : channels) {
            heads.add(channelLog.headAsync(c.id()).toCompletableFuture());
        }
        List<Channel> out = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            Channel c = channels.get(i);
            out.add(new Channel(c.id(), c.org(), c.name(), c.type(), heads.get(i).join(), c.createdAt()));
        }
        return out;
    }

    @Override
    public boolean isMember(UserRef user, long channelId) {
        return relational.isMember(user, channelId);
    }

    /** The relational summary {@code s} with the channel's head, the member's checkpoint and counts from the log. */
    private ChannelSummary counted(ChannelSummary s, Channel positioned, String userId, long lastRead) {
        long head = positioned.lastSeq();
        long[] counts = head > lastRead ? UnreadCounts.of(channelLog, positioned.id(), userId, lastRead, head)
                : new long[2];
        return new ChannelSummary(positioned, withCheckpoint(s.membership(), lastRead), counts[0], counts[1],
                s.affinityScore());
    }

    private Channel positioned(Channel c) {
        long head = cassandra(() -> channelLog.head(c.id()));
        return new Channel(c.id(), c.org(), c.name(), c.type(), head, c.createdAt());
    }

    private static Membership withCheckpoint(Membership m, long lastReadSeq) {
        return new Membership(m.channelId(), m.userId(), m.joinedAt(), m.muted(), m.notifyAlways(), m.starred(),
                lastReadSeq);
    }

    /** Runs Cassandra reads and writes, their failures answered as 503. */
    static <T> T cassandra(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (DriverException e) {
            throw CassandraErrors.translate(e);
        } catch (CompletionException e) {
            if (e.getCause() instanceof DriverException d) {
                throw CassandraErrors.translate(d);
            }
            throw e;
        }
    }
}
