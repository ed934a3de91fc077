package dev.switchboard.message;

import dev.switchboard.message.presence.OnlineUsers;
import dev.switchboard.message.store.ChannelStore;
import dev.switchboard.message.store.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A channel's members with their presence: who is online, and when each of the
 * others was last seen, both from the presence leases the edge nodes keep
 * ({@link OnlineUsers}). Membership is checked as for every channel read. Presence
 * that does not answer within the timeout leaves it unknown rather than failing the
 * list. Blocking: runs on the chat workers.
 */
final class ChannelMembers {
    private final ChannelStore channels;
    private final UserStore users;
    private final OnlineUsers presence;
    private final Duration timeout;

    ChannelMembers(ChannelStore channels, UserStore users, OnlineUsers presence, Duration timeout) {
        this.channels = channels;
        this.users = users;
        this.presence = presence;
        this.timeout = timeout;
    }

    /** The members in joining order; 404 if the channel is invisible to the caller, 403 if not a member. */
    List<Member> list(UserRef caller, long channelId) {
        List<String> ids = channels.details(caller, channelId).members();
        CompletableFuture<Set<String>> online = presence.online(caller.org(), ids);
        CompletableFuture<Map<String, Instant>> seen = presence.lastSeen(caller.org(), ids);
        Map<String, User> byId = users.findAll(caller.org(), ids);
        Set<String> on = await(online);
        Map<String, Instant> last = await(seen);
        List<Member> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            User u = byId.get(id);
            if (u == null) {
                continue; // a user deleted since: not listed
            }
            Boolean isOnline = on == null ? null : on.contains(id);
            Instant lastSeen = Boolean.TRUE.equals(isOnline) || last == null ? null : last.get(id);
            out.add(new Member(u, isOnline, lastSeen));
        }
        return out;
    }

    private <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null; // presence unknown (Redis away or slow): listed without it
        }
    }
}
