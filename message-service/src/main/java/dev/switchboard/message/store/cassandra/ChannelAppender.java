package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.DriverException;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.Message;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.SequenceListener;
import dev.switchboard.wire.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Appends entries to a channel's log: the one sequencing mechanism of messages
 * ({@link CassandraMessageStore}) and of their events ({@link CassandraEventStore}),
 * docs/adr/0011-messages-on-cassandra.md.
 *
 * <p>An entry takes sequence {@code head + 1} with one conditional batch in the
 * channel's current bucket ({@link ChannelLog#append}): applied only if the
 * bucket's head is still {@code head}, and then the head and the row exist
 * together, so sequences have no gaps and a sequence never exists without its
 * entry. Appends of one channel in this process queue on a lock of the
 * channel (a striped lock, as PostgreSQL's row lock), which keeps the
 * listener's calls in sequence order and spares Paxos the contention; appends
 * from other processes lose the condition, learn the head from the answer and
 * try again.
 *
 * <p>A write whose outcome is unknown (a timeout, a coordinator gone) is
 * decided before anything else happens on the channel here: a LOCAL_SERIAL read
 * of the row finishes or fences the Paxos round (Paxos v1 proposes an empty update for it; the
 * ring must run v1, ADR 0011 "Paxos variant"), so the row is either ours
 * (stored: the append succeeds and is published) or never will be (try again).
 * If even that read fails, the append answers 503 {@code COMMIT_OUTCOME_UNKNOWN}
 * (as the relational store does, {@code CommitOutcome}) and nothing is published.
 *
 * <p>A keyed append (a message's client_msg_id, an event's client id) first claims
 * the key ({@link ClientIds}) with a floor below which its entry cannot be. Before
 * every attempt at sequence {@code h + 1}, an appender holding a claim that is not
 * complete has searched the log between the floor and {@code h} for the key, and
 * the write is conditional on the head being {@code h}: so of two writers of one key
 * (a client's retry racing the original after a timeout), the second either finds
 * the first's entry or loses the condition and then finds it. The key is stored once.
 */
final class ChannelAppender {
    private static final Logger log = LoggerFactory.getLogger(ChannelAppender.class);
    private static final int STRIPES = 256;
    private static final int MAX_ATTEMPTS = 20;
    private static final int DECIDE_ATTEMPTS = 4;
    private static final long AFTER_WRITE_TIMEOUT_MS = 5_000;

    private final ChannelLog channelLog;
    private final ClientIds messageKeys;
    private final ClientIds eventKeys;
    private final ReadPositions positions;
    private final MessageStateTable state;
    private final int scanPage;
    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Counter conflicts;
    private final Counter resolvedStored;
    private final Counter resolvedNotStored;
    private final Counter unresolved;
    private final Counter duplicatesFound;

    /** {@code scanPage}: entries read at a time while a keyed append searches the log above its claim's floor. */
    ChannelAppender(MessageKeyspace ks, ChannelLog channelLog, MessageStateTable state, ReadPositions positions,
                    int scanPage, MeterRegistry registry) {
        this.channelLog = channelLog;
        this.messageKeys = new ClientIds(ks, ClientIds.MESSAGES);
        this.eventKeys = new ClientIds(ks, ClientIds.EVENTS);
        this.positions = positions;
        this.state = state;
        this.scanPage = scanPage;
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

    /** Appends a message (its key: the sender's client_msg_id, in {@code client_ids}). */
    SendResult message(UserRef sender, Channel channel, String clientMsgId, Draft draft, SequenceListener listener) {
        return append(sender, channel, messageKeys, false, clientMsgId, draft, listener);
    }

    /** Appends an edit, delete or reaction (its key: the actor's client id, in {@code event_client_ids}). */
    SendResult event(UserRef actor, Channel channel, String clientId, Draft draft, SequenceListener listener) {
        return append(actor, channel, eventKeys, true, clientId, draft, listener);
    }

    /**
     * Appends the entry {@code draft} makes at the channel's next sequence (see the class comment).
     * {@code keys} holds the actor's idempotency keys of this kind of entry.
     */
    private SendResult append(UserRef actor, Channel channel, ClientIds keys, boolean event, String key, Draft draft,
                              SequenceListener listener) {
        long channelId = channel.id();
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
                        // Debug only: the refusal is answered 503 and logged once per request by the HTTP layer.
                        log.debug("append of {}#{} ({}) refused: {}", channelId, draftEntry.seq(), key,
                                CassandraErrors.reason(e));
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
                log.warn("append of {}#{} ({}) timed out ({}) and its outcome is unknown: {}", message.channelId(),
                        message.seq(), message.clientId(), cause.getClass().getSimpleName(), CassandraErrors.reason(e));
                e.addSuppressed(cause);
                throw ChatException.outcomeUnknown("message store unavailable: the outcome of the write is"
                        + " unknown (" + cause.getClass().getSimpleName() + "); retry with the same client_msg_id", e);
            }
        }
        if (row != null && writeId.equals(row.writeId())) {
            resolvedStored.increment();
            log.info("append of {}#{} ({}) timed out ({}) but was stored", message.channelId(), message.seq(),
                    message.clientId(), cause.getClass().getSimpleName());
            return null;
        }
        resolvedNotStored.increment();
        log.info("append of {}#{} ({}) timed out ({}) and was not stored: {}", message.channelId(), message.seq(),
                message.clientId(), cause.getClass().getSimpleName(), row == null ? "no row" : "another write's row");
        return row != null ? Long.valueOf(message.seq()) : Long.valueOf(ChannelLog.UNKNOWN_HEAD);
    }

    /** Backs off before another try of a contended append or serial read (a caller thread's pause, never an event loop's). */
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
            List<LogEntry> page = channelLog.after(channelId, cursor, scanPage);
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
