package dev.switchboard.message.store.cassandra;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.EventRules;
import dev.switchboard.message.store.JdbcChannelStore;
import dev.switchboard.message.store.MessageEventStore;
import dev.switchboard.message.store.SequenceListener;
import dev.switchboard.wire.chat.EventKind;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Message events on Cassandra (ADR 0011, ADR 0013): an edit, delete or reaction is
 * an entry of the channel log, appended by the {@link ChannelAppender} as
 * a send is (the channel's next sequence by the same conditional batch, under the
 * same lock, keyed by the actor's client id in {@code event_client_ids}). Each
 * attempt checks the change against the message as the log up to the head it
 * builds on left it; the append is conditional on that head, so a change that
 * another process's entry invalidated loses the condition and is checked again. A
 * change that changes nothing appends nothing and answers the current state. The
 * rules and errors are the relational store's.
 */
final class CassandraEventStore implements MessageEventStore {
    private final ChannelAppender appender;
    private final CassandraMessageStore messages;
    private final MessageStateTable state;
    private final JdbcChannelStore channels;
    private final Clock clock;

    CassandraEventStore(ChannelAppender appender, CassandraMessageStore messages, MessageStateTable state,
                        JdbcChannelStore channels, Clock clock) {
        this.appender = appender;
        this.messages = messages;
        this.state = state;
        this.channels = channels;
        this.clock = clock;
    }

    @Override
    public SendResult edit(UserRef actor, long channelId, long messageId, String text, String clientId,
                           SequenceListener listener) {
        return change(actor, channelId, messageId, EventKind.EDIT, null, text, clientId, listener, current -> {
            EventRules.requireAuthor(actor, current, "edit");
            EventRules.requireNotDeleted(current);
            if (text.isBlank() && current.attachments() == null) {
                throw ChatException.badRequest("a message needs text or attachments");
            }
            return true;
        });
    }

    @Override
    public SendResult delete(UserRef actor, long channelId, long messageId, String clientId,
                             SequenceListener listener) {
        return change(actor, channelId, messageId, EventKind.DELETE, null, null, clientId, listener, current -> {
            EventRules.requireAuthor(actor, current, "delete");
            return !current.state().deleted();
        });
    }

    @Override
    public SendResult react(UserRef actor, long channelId, long messageId, String emoji, boolean add,
                            String clientId, SequenceListener listener) {
        EventKind kind = add ? EventKind.REACTION_ADDED : EventKind.REACTION_REMOVED;
        return change(actor, channelId, messageId, kind, emoji, null, clientId, listener, current -> {
            EventRules.requireNotDeleted(current);
            if (add) {
                EventRules.requireRoomForEmoji(current.id(), current.state().reactions().size(),
                        current.state().reactions().stream().anyMatch(r -> r.emoji().equals(emoji)));
            }
            boolean present = current.state().reactions().stream()
                    .anyMatch(r -> r.emoji().equals(emoji) && r.users().contains(actor.userId()));
            return present != add; // adding twice is one reaction; removing one that is not there does nothing
        });
    }

    @Override
    public HistoryPage replies(UserRef reader, long channelId, long rootId, long afterSeq, int limit) {
        return messages.replies(reader, channelId, rootId, afterSeq, limit);
    }

    /** Whether a change of {@code current} changes anything; throws when it is refused. */
    @FunctionalInterface
    private interface Check {
        boolean changes(Message current);
    }

    private SendResult change(UserRef actor, long channelId, long messageId, EventKind kind, String emoji, String text,
                              String clientId, SequenceListener listener, Check check) {
        Channel channel = channels.memberChannel(actor, channelId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return appender.event(actor, channel, clientId, new ChannelAppender.Draft() {
            private Message current;

            @Override
            public LogEntry at(long head) {
                current = state.message(channelId, messageId);
                if (!check.changes(current)) {
                    return null;
                }
                return new LogEntry(channelId, head + 1, kind, messageId, actor.userId(), text, null, clientId, now,
                        emoji, 0, false, List.of());
            }

            @Override
            public Message stored(LogEntry e) {
                return state.load(channelId, List.of(e)).getFirst();
            }

            @Override
            public Message storedWithoutState(LogEntry e) {
                return current.with(current.state(), e.event());
            }

            @Override
            public Message found(LogEntry earlier) {
                return state.load(channelId, List.of(earlier)).getFirst();
            }

            @Override
            public Message unchanged() {
                return current;
            }
        }, listener);
    }
}
