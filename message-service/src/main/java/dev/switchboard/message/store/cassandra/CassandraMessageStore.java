package dev.switchboard.message.store.cassandra;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.JdbcChannelStore;
import dev.switchboard.message.store.MediaStore;
import dev.switchboard.message.store.MessageStore;
import dev.switchboard.message.store.SequenceListener;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages in Cassandra's channel log (docs/adr/0011-messages-on-cassandra.md):
 * sends, history pages and thread pages. A send is appended by the
 * {@link ChannelAppender} (the channel's next sequence by a conditional batch,
 * under the channel's lock, idempotent by client_msg_id); this class makes what
 * it writes (ids, media, the thread root's check) and reads the log back.
 */
public final class CassandraMessageStore implements MessageStore {
    private static final Logger log = LoggerFactory.getLogger(CassandraMessageStore.class);

    private final MessageKeyspace ks;
    private final ChannelAppender appender;
    private final ChannelLog channelLog;
    private final MessageStateTable state;
    private final MessageIds ids;
    private final JdbcChannelStore channels;
    private final MediaStore media;
    private final Clock clock;
    private final int maxPage;

    CassandraMessageStore(MessageKeyspace ks, ChannelAppender appender, ChannelLog channelLog, MessageStateTable state,
                          MessageIds ids, JdbcChannelStore channels, MediaStore media, Clock clock, int maxPage) {
        if (maxPage < 1) {
            throw new IllegalArgumentException("maxPage must be positive");
        }
        this.ks = ks;
        this.appender = appender;
        this.channelLog = channelLog;
        this.state = state;
        this.ids = ids;
        this.channels = channels;
        this.media = media;
        this.clock = clock;
        this.maxPage = maxPage;
    }

    @Override
    public String backendUnavailable() {
        return RingHealth.check(ks.session(), ks.options().datacenter(), ks.options().replicationFactor());
    }

    @Override
    public int maxPage() {
        return maxPage;
    }

    @Override
    public SendResult send(UserRef sender, long channelId, NewMessage m, SequenceListener listener) {
        Channel channel = channels.memberChannel(sender, channelId);
        SendResult r = appender.message(sender, channel, m.clientMsgId(), new SendDraft(sender, channelId, m), listener);
        if (!r.duplicate()) {
            act(sender, channelId);
        }
        return r;
    }

    /** A new message: media attached once the key is known new, freed again when it was not stored. */
    private final class SendDraft implements ChannelAppender.Draft {
        private final UserRef sender;
        private final long channelId;
        private final NewMessage m;
        private final Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        private MediaStore.Resolved attachments;
        private long id;

        SendDraft(UserRef sender, long channelId, NewMessage m) {
            this.sender = sender;
            this.channelId = channelId;
            this.m = m;
        }

        @Override
        public void prepare() {
            attachments = media.attachments(sender, m.attachments());
            id = ids.next();
            media.attach(attachments.mediaIds(), channelId, id);
        }

        @Override
        public LogEntry at(long head) {
            if (m.parentId() != 0) {
                threadRoot(channelId, m.parentId());
            }
            return LogEntry.of(new Message(id, channelId, head + 1, sender.userId(), m.text(), attachments.json(),
                    m.clientMsgId(), now), m.parentId(), m.alsoToChannel(), m.mentions());
        }

        @Override
        public Message stored(LogEntry e) {
            return e.parentId() == 0 && e.mentions().isEmpty() ? e.message() : state.load(channelId, List.of(e)).getFirst();
        }

        @Override
        public Message storedWithoutState(LogEntry e) {
            return e.message();
        }

        @Override
        public Message found(LogEntry earlier) {
            return state.load(channelId, List.of(earlier)).getFirst();
        }

        @Override
        public Message unchanged() {
            throw new IllegalStateException("a send always changes the log");
        }

        @Override
        public void abandon() {
            if (id != 0) {
                detachQuietly(attachments.mediaIds(), id);
            }
        }
    }

    /** The root a reply may name: a message of the channel, not deleted, not itself a reply (as the relational store). */
    private void threadRoot(long channelId, long parentId) {
        Message root = state.message(channelId, parentId);
        if (root.state().deleted()) {
            throw ChatException.conflict("message " + parentId + " is deleted");
        }
        if (root.state().parentId() != 0) {
            throw ChatException.badRequest("message " + parentId + " is a reply; reply to its thread's root "
                    + root.state().parentId());
        }
    }

    /** The member sent or read in the channel: the channel list's order (relational, best effort). */
    void act(UserRef user, long channelId) {
        try {
            channels.acted(user, channelId);
        } catch (RuntimeException e) {
            log.warn("affinity of {} in channel {} not updated: {}", user.userId(), channelId, e.toString());
        }
    }

    /** Frees the media of a message that was not stored (a known outcome), so that a retry may attach them. */
    private void detachQuietly(List<Long> mediaIds, long messageId) {
        try {
            media.detach(mediaIds, messageId);
        } catch (RuntimeException e) {
            log.warn("freeing the media of unstored message {} failed: {}", messageId, e.toString());
        }
    }

    @Override
    public HistoryPage before(UserRef reader, long channelId, long beforeSeq, int limit) {
        if (beforeSeq < 0) {
            throw ChatException.badRequest("before must be >= 0");
        }
        int n = pageSize(limit);
        channels.memberChannel(reader, channelId);
        return read(() -> {
            long head = channelLog.head(channelId);
            state.ensureApplied(channelId, head);
            // Channel messages only: events and replies kept in their thread are skipped.
            List<LogEntry> rows = channelLog.before(channelId, beforeSeq == 0 ? Long.MAX_VALUE : beforeSeq, n + 1,
                    LogEntry::inChannel, head);
            return page(channelId, rows, n);
        });
    }

    /** The channel's log after {@code afterSeq}: messages and the events that changed them (ADR 0013). */
    @Override
    public HistoryPage after(UserRef reader, long channelId, long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw ChatException.badRequest("after must be >= 0");
        }
        int n = pageSize(limit);
        channels.memberChannel(reader, channelId);
        return read(() -> {
            List<LogEntry> rows = channelLog.after(channelId, afterSeq, n + 1);
            if (!rows.isEmpty()) {
                state.ensureApplied(channelId, rows.getLast().seq());
            }
            return page(channelId, rows, n);
        });
    }

    /** Up to {@code limit} (capped) replies of thread {@code rootId} after {@code afterSeq}, oldest first. */
    HistoryPage replies(UserRef reader, long channelId, long rootId, long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw ChatException.badRequest("after must be >= 0");
        }
        int n = pageSize(limit);
        channels.memberChannel(reader, channelId);
        return read(() -> {
            state.ensureApplied(channelId, channelLog.head(channelId));
            state.message(channelId, rootId); // 404 for a message the channel does not have
            List<CompletableFuture<LogEntry>> rows = new ArrayList<>();
            for (long seq : state.replies(channelId, rootId, afterSeq, n + 1)) {
                rows.add(channelLog.atAsync(channelId, seq).toCompletableFuture());
            }
            return page(channelId, rows.stream().map(CompletableFuture::join).toList(), n);
        });
    }

    /** Runs reads of the log, their failures answered as 503. */
    static <T> T read(java.util.function.Supplier<T> work) {
        return CassandraChannelStore.cassandra(work);
    }

    private int pageSize(int limit) {
        if (limit < 1) {
            throw ChatException.badRequest("limit must be >= 1");
        }
        return Math.min(limit, maxPage);
    }

    /** One more than asked says whether there is a next page (its cursor: the last sequence of this one). */
    private HistoryPage page(long channelId, List<LogEntry> rows, int n) {
        Long next = null;
        if (rows.size() > n) {
            rows = rows.subList(0, n);
            next = rows.get(n - 1).seq();
        }
        return new HistoryPage(state.load(channelId, rows), next);
    }
}
