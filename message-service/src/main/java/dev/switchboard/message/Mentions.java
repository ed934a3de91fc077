package dev.switchboard.message;

import dev.switchboard.message.presence.OnlineUsers;
import dev.switchboard.message.store.ChannelStore;
import dev.switchboard.message.store.UserStore;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whom a new message mentions (ADR 0013): {@code @handle} in its text (a user of the
 * organisation with that handle), {@code @channel} (every member) and {@code @here}
 * (the members online now, from the presence leases), or the sender's structured list
 * of user ids and those two words. Only members of the channel can be mentioned and
 * the sender never mentions themselves. The list is expanded once, when the message is
 * sent, and stored with it. Blocking: runs on the chat workers.
 */
final class Mentions {
    /** {@code @word} not inside an e-mail address or another word. */
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}_.@-])@([\\p{L}\\p{N}_.-]{1,64})");
    static final String CHANNEL = "@channel";
    static final String HERE = "@here";

    private final ChannelStore channels;
    private final UserStore users;
    private final OnlineUsers online;
    private final Duration presenceTimeout;

    Mentions(ChannelStore channels, UserStore users, OnlineUsers online, Duration presenceTimeout) {
        this.channels = channels;
        this.users = users;
        this.online = online;
        this.presenceTimeout = presenceTimeout;
    }

    /** {@code m} with its mentions resolved to user ids; {@code m} itself when it mentions nobody (no query). */
    NewMessage resolve(UserRef sender, long channelId, NewMessage m) {
        Set<String> handles = new LinkedHashSet<>();
        Matcher x = MENTION.matcher(m.text());
        while (x.find()) {
            String word = x.group(1);
            while (word.endsWith(".") || word.endsWith("-")) {
                word = word.substring(0, word.length() - 1); // "@bob." ends a sentence
            }
            if (!word.isEmpty()) {
                handles.add(word);
            }
        }
        Set<String> given = new LinkedHashSet<>(m.mentions());
        if (handles.remove("channel")) {
            given.add(CHANNEL);
        }
        if (handles.remove("here")) {
            given.add(HERE);
        }
        if (handles.isEmpty() && given.isEmpty()) {
            return m;
        }
        List<String> members = channels.details(sender, channelId).members();
        Set<String> out = new LinkedHashSet<>();
        if (given.contains(CHANNEL)) {
            out.addAll(members);
        } else if (given.contains(HERE)) {
            out.addAll(onlineOf(sender.org(), members));
        }
        for (String id : given) {
            if (!id.equals(CHANNEL) && !id.equals(HERE) && members.contains(id)) {
                out.add(id);
            }
        }
        Map<String, String> byHandle = users.idsByHandle(sender.org(), handles);
        for (String h : handles) {
            String id = byHandle.get(h);
            if (id != null && members.contains(id)) {
                out.add(id);
            }
        }
        out.remove(sender.userId());
        return m.withMentions(List.copyOf(out));
    }

    private Set<String> onlineOf(String org, List<String> members) {
        try {
            return online.online(org, members).get(presenceTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChatException(dev.switchboard.wire.ErrorCode.UNAVAILABLE, "interrupted");
        } catch (Exception e) {
            // Presence unknown: @here reaches every member, as a missed mention costs more than an extra one.
            return Set.copyOf(members);
        }
    }
}
