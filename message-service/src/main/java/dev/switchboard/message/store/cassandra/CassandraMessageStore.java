package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.DriverException;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.ChannelStore;
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

    private final ChannelLog channelLog;
    private final ClientIds clientIds;
    private final ReadPositions positions;
    private final MessageIds ids;
    private final ChannelStore channels;
    private final MediaStore media;
    private final Clock clock;
    private final int maxPage;
    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Counter conflicts;
    private final Counter resolvedStored;
    private final Counter resolvedNotStored;
    private final Counter unresolved;
    private final Counter duplicatesFound;

    CassandraMessageStore(MessageKeyspace ks, MessageIds ids, ChannelStore channels, MediaStore media, Clock clock,
                          int maxPage, MeterRegistry registry) {
        if (maxPage < 1) {
            throw new IllegalArgumentException("maxPage must be positive");
        }
        this.channelLog = new ChannelLog(ks);
        this.clientIds = new ClientIds(ks);
        this.positions = new ReadPositions(ks);
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

    @Override
    public int maxPage() {
        return maxPage;
    }

    @Override
    public SendResult send(UserRef sender, long channelId, NewMessage m, SequenceListener listener) {
        Channel channel = channels.membership(sender, channelId).channel();
        Stripe stripe = stripes[Math.floorMod(Long.hashCode(channelId), STRIPES)];
        SequenceListener.Ticket ticket = null;
        Message stored = null;
        MediaStore.Resolved attachments = null;
        long attachedTo = 0;
        boolean outcomeUnknown = false;
        stripe.lock.lock();
        try {
            long head = stripe.channel == channelId ? stripe.head : channelLog.head(channelId);
            long floor = head;
            String key = m.clientMsgId();
            if (key != null) {
                ClientIds.Claim claim = clientIds.claim(channelId, sender.userId(), key, head);
                Message earlier = claim.seq() == null ? null : channelLog.at(channelId, claim.seq());
                if (earlier != null) {
                    return new SendResult(earlier, true);
                }
                floor = claim.floor();
            }
            attachments = media.attachments(sender, m.attachments());
            long id = ids.next();
            media.attach(attachments.mediaIds(), channelId, id);
            attachedTo = id;
            UUID writeId = UUID.randomUUID();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                if (key != null && floor < head) {
                    Message earlier = findByKey(channelId, sender.userId(), key, floor, head);
                    if (earlier != null) {
                        duplicatesFound.increment();
                        complete(channelId, sender, key, earlier.seq());
                        stripe.remember(channelId, head);
                        return new SendResult(earlier, true);
                    }
                    floor = head;
                }
                Message message = new Message(id, channelId, head + 1, sender.userId(), m.text(), attachments.json(),
                        key, now);
                ticket = listener.sequenced(channel, message.seq());
                Long current;
                try {
                    current = channelLog.append(message, writeId);
                } catch (DriverException e) {
                    if (!CassandraErrors.outcomeUnknown(e)) {
                        throw e;
                    }
                    outcomeUnknown = true;
                    current = decide(message, writeId, e);
                    outcomeUnknown = false;
                }
                if (current == null) {
                    stored = message;
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
            if (stored == null) {
                throw new ChatException(ErrorCode.UNAVAILABLE, "channel " + channelId + " too contended: no sequence"
                        + " after " + MAX_ATTEMPTS + " attempts", null);
            }
            stripe.remember(channelId, stored.seq());
            afterWrite(sender, stored);
            return new SendResult(stored, false);
        } catch (DriverException e) {
            stripe.forget();
            throw CassandraErrors.translate(e);
        } catch (RuntimeException e) {
            stripe.forget();
            throw e;
        } finally {
            stripe.lock.unlock();
            if (stored == null && attachedTo != 0 && !outcomeUnknown) {
                detachQuietly(attachments.mediaIds(), attachedTo);
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
     * Decides an append whose outcome was unknown: null if the row at its sequence is
     * ours (stored), else the head to try again from. Throws COMMIT_OUTCOME_UNKNOWN (503) if even the serial
     * read fails: then nothing is acknowledged or published, and a retry with the same
     * client_msg_id finds the message if it was stored after all.
     */
    private Long decide(Message message, UUID writeId, DriverException cause) {
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

    /** The message with this sender's key between {@code floor} (exclusive) and {@code head}, or null. */
    private Message findByKey(long channelId, String sender, String key, long floor, long head) {
        long cursor = floor;
        while (cursor < head) {
            List<Message> page = channelLog.after(channelId, cursor, maxPage);
            if (page.isEmpty()) {
                return null;
            }
            for (Message m : page) {
                if (m.seq() > head) {
                    return null;
                }
                if (key.equals(m.clientMsgId()) && sender.equals(m.sender())) {
                    return m;
                }
                cursor = m.seq();
            }
        }
        return null;
    }

    /**
     * What follows a durable message, in parallel and off its critical path: the
     * sender's checkpoint, the key's sequence, the bucket hint. None of them decides
     * whether the message is stored; a failure is logged and repaired by the next
     * write (checkpoint, hint) or costs a retry a log search (key).
     */
    private void afterWrite(UserRef sender, Message m) {
        List<CompletableFuture<?>> writes = new ArrayList<>(3);
        writes.add(positions.advance(sender, m.channelId(), m.seq()).toCompletableFuture());
        if (m.clientMsgId() != null) {
            writes.add(clientIds.complete(m.channelId(), sender.userId(), m.clientMsgId(), m.seq()).toCompletableFuture());
        }
        if ((m.seq() - 1) % channelLog.bucketSize() == 0) {
            writes.add(channelLog.hintBucket(m.channelId(), channelLog.bucketOf(m.seq())).toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(AFTER_WRITE_TIMEOUT_MS,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("bookkeeping after message {}#{} failed (the message is stored): {}", m.channelId(), m.seq(),
                    e.toString());
        }
    }

    private void complete(long channelId, UserRef sender, String key, long seq) {
        CompletionStage<?> done = clientIds.complete(channelId, sender.userId(), key, seq);
        done.whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("completing client_msg_id claim failed: {}", e.toString());
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
        channels.membership(reader, channelId);
        try {
            return page(channelLog.before(channelId, beforeSeq == 0 ? Long.MAX_VALUE : beforeSeq, n + 1), n);
        } catch (DriverException e) {
            throw CassandraErrors.translate(e);
        }
    }

    @Override
    public HistoryPage after(UserRef reader, long channelId, long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw ChatException.badRequest("after must be >= 0");
        }
        int n = pageSize(limit);
        channels.membership(reader, channelId);
        try {
            return page(channelLog.after(channelId, afterSeq, n + 1), n);
        } catch (DriverException e) {
            throw CassandraErrors.translate(e);
        }
    }

    private int pageSize(int limit) {
        if (limit < 1) {
            throw ChatException.badRequest("limit must be >= 1");
        }
        return Math.min(limit, maxPage);
    }

    /** One more than asked says whether there is a next page. */
    private static HistoryPage page(List<Message> rows, int n) {
        if (rows.size() > n) {
            List<Message> out = rows.subList(0, n);
            return new HistoryPage(out, out.get(n - 1).seq());
        }
        return new HistoryPage(rows, null);
    }

    /** A lock shared by the channels that hash to it, remembering the last head it saw (a hint: a stale one loses the condition). */
    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        long channel = -1;
        long head;

        void remember(long channelId, long seq) {
            channel = channelId;
            head = seq;
        }

        void forget() {
            channel = -1;
        }
    }
}
