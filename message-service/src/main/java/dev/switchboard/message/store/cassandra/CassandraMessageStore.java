package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.DriverException;
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
import dev.switchboard.wire.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages in Cassandra's channel log (docs/adr/0011-messages-on-cassandra.md).
 *
 * <p>A send takes sequence {@code head + 1} with one conditional batch in the
 * channel's current bucket ({@link ChannelLog#append}): applied only if the
 * bucket's head is still {@code head}, and then the head and the row exist
 * together, so sequences have no gaps and a sequence never exists without its
 * message. Sends of one channel in this process queue on a lock of the
 * channel (a striped lock, as PostgreSQL's row lock), which keeps the
 * listener's calls in sequence order and spares Paxos the contention; sends
 * from other processes lose the condition, learn the head from the answer and
 * try again.
 *
 * <p>A write whose outcome is unknown (a timeout, a coordinator gone) is
 * decided before anything else happens on the channel here: a LOCAL_SERIAL read
 * of the row finishes or fences the Paxos round, so the row is either ours
 * (stored: the send succeeds and is published) or never will be (try again).
 * If even that read fails, the send answers 503 {@code COMMIT_OUTCOME_UNKNOWN}
 * (as the relational store does, {@code CommitOutcome}) and nothing is published.
 *
 * <p>A keyed send (client_msg_id) first claims the key ({@link ClientIds}) with
 * a floor below which its message cannot be. Before every attempt at sequence
 * {@code h + 1}, a sender holding a claim that is not complete has searched the
 * log between the floor and {@code h} for the key, and the write is conditional
 * on the head being {@code h}: so of two writers of one key (a client's retry
 * racing the original after a timeout), the second either finds the first's
 * message or loses the condition and then finds it. The key is stored once.
 */
public final class CassandraMessageStore implements MessageStore {
    private static final Logger log = LoggerFactory.getLogger(CassandraMessageStore.class);
    private static final int STRIPES = 256;
    private static final int MAX_ATTEMPTS = 20;
    private static final int DECIDE_ATTEMPTS = 4;
    private static final long AFTER_WRITE_TIMEOUT_MS = 5_000;

    private final MessageKeyspace ks;
    private final ChannelLog channelLog;
    private final ClientIds messageKeys;
    private final ClientIds eventKeys;
    private final ReadPositions positions;
    private final MessageStateTable state;
    private final MessageIds ids;
    private final JdbcChannelStore channels;
    private final MediaStore media;
    private final Clock clock;
    private final int maxPage;
    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Counter conflicts;
    private final Counter resolvedStored;
    private final Counter resolvedNotStored;
    private final Counter unresolved;
    private final Counter duplicatesFound;

    CassandraMessageStore(MessageKeyspace ks, MessageIds ids, JdbcChannelStore channels, MediaStore media, Clock clock,
                          int maxPage, MeterRegistry registry) {
        if (maxPage < 1) {
            throw new IllegalArgumentException("maxPage must be positive");
        }
        this.ks = ks;
        this.channelLog = new ChannelLog(ks);
        this.messageKeys = new ClientIds(ks, ClientIds.MESSAGES);
        this.eventKeys = new ClientIds(ks, ClientIds.EVENTS);
        this.positions = new ReadPositions(ks);
        this.state = new MessageStateTable(ks, channelLog, media);
        this.ids = ids;
        this.channels = channels;
        this.media = media;
        this.clock = clock;
        this.maxPage = maxPage;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
        this.conflicts = Counter.builder("switchboard.cassandra.sequence.conflicts")
                .description("conditional appends that lost to another writer and were tried again").register(registry);
        this.resolvedStored = outcome(registry, "stored");
        this.resolvedNotStored = outcome(registry, "not_stored");
        this.unresolved = outcome(registry, "unresolved");
        this.duplicatesFound = Counter.builder("switchboard.cassandra.idempotency.found")
                .description("keyed sends whose message was found in the log above the claim's floor").register(registry);
    }

    private static Counter outcome(MeterRegistry registry, String result) {
        return Counter.builder("switchboard.cassandra.unknown.outcomes").tag("result", result)
                .description("appends whose outcome was unknown, by what the serial read decided").register(registry);
    }

    ChannelLog channelLog() {
        return channelLog;
    }

    ReadPositions positions() {
        return positions;
    }

    MessageStateTable state() {
        return state;
    }

    ClientIds eventKeys() {
        return eventKeys;
    }

    Clock clock() {
        return clock;
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
        SendResult r = append(sender, channel, messageKeys, m.clientMsgId(), new SendDraft(sender, channelId, m),
                listener);
        if (!r.duplicate()) {
            act(sender, channelId);
        }
        return r;
    }

    /** A new message: media attached once the key is known new, freed again when it was not stored. */
    private final class SendDraft implements Draft {
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

    /**
     * What one append writes, decided under the channel's lock: {@link #prepare} once the key is known
     * to be new, {@link #at} for every attempt (the log is applied to message_state up to {@code head},
     * so checks see every earlier entry; null when the change changes nothing), {@link #abandon} when it
     * was not stored (a known outcome).
     */
    interface Draft {
        default void prepare() {
        }

        LogEntry at(long head);

        /** The entry's message as answered and published, once it is durable and applied. */
        Message stored(LogEntry e);

        /** The same when the message's state cannot be read: what the draft knows of it. */
        Message storedWithoutState(LogEntry e);

        /** The answer for an entry with this key that the log already has. */
        Message found(LogEntry earlier);

        /** The answer when {@link #at} found nothing to change. */
        Message unchanged();

        default void abandon() {
        }
    }

    /**
     * Appends the entry {@code draft} makes at the channel's next sequence: the one sequencing
     * mechanism of messages and of their events (see the class comment). {@code keys} holds the
     * actor's idempotency keys of this kind of entry.
     */
    SendResult append(UserRef actor, Channel channel, ClientIds keys, String key, Draft draft,
                      SequenceListener listener) {
        long channelId = channel.id();
        boolean event = keys != messageKeys;
        Stripe stripe = stripes[Math.floorMod(Long.hashCode(channelId), STRIPES)];
        SequenceListener.Ticket ticket = null;
        Message stored = null;
        boolean prepared = false;
        boolean durable = false;
        boolean outcomeUnknown = false;
        stripe.lock.lock();
        try {
            long head = stripe.channel == channelId ? stripe.head : channelLog.head(channelId);
            long floor = head;
            if (key != null) {
                ClientIds.Claim claim = keys.claim(channelId, actor.userId(), key, head);
                LogEntry earlier = claim.seq() == null ? null : channelLog.at(channelId, claim.seq());
                if (earlier != null) {
                    return new SendResult(draft.found(earlier), true);
                }
                floor = claim.floor();
            }
            draft.prepare();
            prepared = true;
            UUID writeId = UUID.randomUUID();
            LogEntry entry = null;
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                if (key != null && floor < head) {
                    LogEntry earlier = findByKey(channelId, actor.userId(), key, event, floor, head);
                    if (earlier != null) {
                        duplicatesFound.increment();
                        complete(keys, channelId, actor, key, earlier.seq());
                        stripe.remember(channelId, head);
                        return new SendResult(draft.found(earlier), true);
                    }
                    floor = head;
                }
                stripe.remember(channelId, head);
                if (stripe.applied < head) {
                    state.ensureApplied(channelId, head);
                    stripe.applied = head;
                }
                LogEntry draftEntry = draft.at(head);
                if (draftEntry == null) {
                    return new SendResult(draft.unchanged(), true);
                }
                ticket = listener.sequenced(channel, draftEntry.seq());
                Long current;
                try {
                    current = channelLog.append(draftEntry, writeId);
                } catch (DriverException e) {
                    if (!CassandraErrors.outcomeUnknown(e)) {
                        throw e;
                    }
                    outcomeUnknown = true;
                    current = decide(draftEntry, writeId, e);
                    outcomeUnknown = false;
                }
                if (current == null) {
                    entry = draftEntry;
                    break;
                }
                conflicts.increment();
                ticket.abandoned();
                ticket = null;
                if (attempt > 0) {
                    pause(1); // another process keeps winning: let its burst pass
                }
                head = current == ChannelLog.UNKNOWN_HEAD ? channelLog.head(channelId) : current;
            }
            if (entry == null) {
                throw new ChatException(ErrorCode.UNAVAILABLE, "channel " + channelId + " too contended: no sequence"
                        + " after " + MAX_ATTEMPTS + " attempts", null);
            }
            durable = true;
            stripe.remember(channelId, entry.seq());
            afterWrite(actor, keys, entry, stripe);
            stored = answer(draft, entry);
            return new SendResult(stored, false);
        } catch (DriverException e) {
            stripe.forget();
            throw CassandraErrors.translate(e);
        } catch (CompletionException e) {
            stripe.forget();
            throw e.getCause() instanceof DriverException d ? CassandraErrors.translate(d) : e;
        } catch (ChatException e) {
            throw e; // a refusal: what the stripe knows of the channel still holds
        } catch (RuntimeException e) {
            stripe.forget();
            throw e;
        } finally {
            stripe.lock.unlock();
            if (stored == null && prepared && !durable && !outcomeUnknown) {
                draft.abandon();
            }
            if (ticket != null) {
                if (stored != null) {
                    ticket.committed(stored);
                } else {
                    ticket.abandoned();
                }
            }
        }
    }

    /**
     * The answer for a durable entry: with its message's state when it can be read; else (the
     * state could not be read just now) without it, rather than a failure for a stored entry.
     */
    private static Message answer(Draft draft, LogEntry e) {
        try {
            return draft.stored(e);
        } catch (RuntimeException ex) {
            log.warn("reading the state after log entry {}#{} failed (the entry is stored): {}", e.channelId(), e.seq(),
                    ex.toString());
            return draft.storedWithoutState(e);
        }
    }

    /**
     * Decides an append whose outcome was unknown: null if the row at its sequence is
     * ours (stored), else the head to try again from. Throws COMMIT_OUTCOME_UNKNOWN (503) if even the serial
     * read fails: then nothing is acknowledged or published, and a retry with the same
     * client_msg_id finds the message if it was stored after all.
     */
    private Long decide(LogEntry message, UUID writeId, DriverException cause) {
        ChannelLog.Stored row = null;
        for (int attempt = 1; ; attempt++) {
            try {
                row = channelLog.serialRow(message.channelId(), message.seq());
                break;
            } catch (DriverException e) {
                // A serial read only reads (and finishes what Paxos left): safe to repeat while it
                // times out under contention or found no connection; not when replicas are missing.
                if (attempt < DECIDE_ATTEMPTS && (CassandraErrors.outcomeUnknown(e) || CassandraErrors.neverSent(e))) {
                    pause(attempt);
                    continue;
                }
                unresolved.increment();
                e.addSuppressed(cause);
                throw ChatException.outcomeUnknown("message store unavailable: the outcome of the write is"
                        + " unknown (" + cause.getClass().getSimpleName() + "); retry with the same client_msg_id", e);
            }
        }
        if (row != null && writeId.equals(row.writeId())) {
            resolvedStored.increment();
            log.info("append of {}#{} timed out ({}) but was stored", message.channelId(), message.seq(),
                    cause.getClass().getSimpleName());
            return null;
        }
        resolvedNotStored.increment();
        return row != null ? Long.valueOf(message.seq()) : Long.valueOf(ChannelLog.UNKNOWN_HEAD);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(20, 60) * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The entry (a message, or an event when {@code event}) with this actor's key between {@code floor} (exclusive) and {@code head}, or null. */
    private LogEntry findByKey(long channelId, String actor, String key, boolean event, long floor, long head) {
        long cursor = floor;
        while (cursor < head) {
            List<LogEntry> page = channelLog.after(channelId, cursor, maxPage);
            if (page.isEmpty()) {
                return null;
            }
            for (LogEntry e : page) {
                if (e.seq() > head) {
                    return null;
                }
                if (e.isMessage() != event && key.equals(e.clientId()) && actor.equals(e.actor())) {
                    return e;
                }
                cursor = e.seq();
            }
        }
        return null;
    }

    /**
     * What follows a durable entry, in parallel and off its critical path: its effect on
     * message_state (then the applied mark, when everything before it is known applied), a
     * message sender's checkpoint, the key's sequence, the bucket hint. None of them decides
     * whether the entry is stored; a failure is logged and repaired by the next reader or
     * writer (state, checkpoint, hint) or costs a retry a log search (key).
     */
    private void afterWrite(UserRef actor, ClientIds keys, LogEntry e, Stripe stripe) {
        List<CompletableFuture<?>> writes = new ArrayList<>(4);
        boolean markable = stripe.applied == e.seq() - 1;
        writes.add(state.apply(e).thenCompose(ok -> markable
                ? state.markApplied(e.channelId(), e.seq()).thenApply(rs -> ok) : CompletableFuture.completedFuture(ok)));
        if (e.isMessage()) {
            writes.add(positions.advance(actor, e.channelId(), e.seq()).toCompletableFuture());
        }
        if (e.clientId() != null) {
            writes.add(keys.complete(e.channelId(), actor.userId(), e.clientId(), e.seq()).toCompletableFuture());
        }
        if ((e.seq() - 1) % channelLog.bucketSize() == 0) {
            writes.add(channelLog.hintBucket(e.channelId(), channelLog.bucketOf(e.seq())).toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(AFTER_WRITE_TIMEOUT_MS,
                    TimeUnit.MILLISECONDS);
            if (markable) {
                stripe.applied = e.seq();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (Exception ex) {
            log.warn("bookkeeping after log entry {}#{} failed (the entry is stored): {}", e.channelId(), e.seq(),
                    ex.toString());
        }
    }

    private void complete(ClientIds keys, long channelId, UserRef actor, String key, long seq) {
        CompletionStage<?> done = keys.complete(channelId, actor.userId(), key, seq);
        done.whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("completing client id claim failed: {}", e.toString());
            }
        });
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

    /**
     * A lock shared by the channels that hash to it, remembering the last head it saw (a hint: a
     * stale one loses the condition) and how far that channel's state is known applied.
     */
    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        long channel = -1;
        long head;
        long applied = -1;

        void remember(long channelId, long seq) {
            if (channel != channelId) {
                applied = -1;
            }
            channel = channelId;
            head = seq;
        }

        void forget() {
            channel = -1;
            applied = -1;
        }
    }
}
