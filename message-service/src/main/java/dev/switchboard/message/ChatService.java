package dev.switchboard.message;

import dev.switchboard.bridge.Broker;
import dev.switchboard.message.delivery.ChatFrames;
import dev.switchboard.message.delivery.OrderedPublisher;
import dev.switchboard.message.delivery.PublishedListener;
import dev.switchboard.message.internal.BlockingExecutor;
import dev.switchboard.message.presence.OnlineUsers;
import dev.switchboard.message.store.ChannelStore;
import dev.switchboard.message.store.ChatStore;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DeviceStore;
import dev.switchboard.message.store.MessageStore;
import dev.switchboard.message.store.UserStore;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat domain as a non-blocking Java API, used by the REST layer and, in dev
 * mode, by the edge in-process. Every method returns at once; the work runs on a
 * bounded pool of database workers and the future completes there (callers on an
 * event loop hand their reply back with {@code ctx.writeAndFlush}, which Netty
 * marshals onto the loop). Failures complete the future with a
 * {@link ChatException} whose {@link ErrorCode} says what went wrong.
 *
 * <p>Persist first, then deliver: a message is published to
 * {@code ChannelNames.chat(org, id)} only after its transaction commits, in
 * sequence order per channel; a retried send (same client_msg_id) publishes
 * nothing. Membership changes are pushed to the affected user's personal
 * channel as {@code Subscribed}/{@code Unsubscribed} frames.
 *
 * <p>The store (or database) and the broker belong to the caller; {@link #close()} stops
 * only the workers.
 */
public final class ChatService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatService.class);

    private final UserStore users;
    private final ChannelStore channels;
    private final MessageStore messages;
    private final DeviceStore devices;
    private final Broker broker;
    private final OrderedPublisher publisher;
    private final BlockingExecutor workers;
    private final ChatServiceOptions options;
    private final Timer sendTimer;
    private final ChatMeters meters;
    private final Counter duplicates;
    private final Counter eventFailures;
    private final MessageEvents events;
    private final Mentions mentions;
    private final ChannelMembers members;
    private static final java.time.Duration MENTION_PRESENCE_TIMEOUT = java.time.Duration.ofSeconds(2);

    public ChatService(Database db, Broker broker, ChatServiceOptions options, MeterRegistry registry) {
        this(db, broker, options, registry, Clock.systemUTC());
    }

    public ChatService(Database db, Broker broker, ChatServiceOptions options, MeterRegistry registry, Clock clock) {
        this(db, broker, options, registry, clock, PublishedListener.NONE);
    }

    /** {@code afterPublish} hears of every committed message once it is handed to the broker (offline push). */
    public ChatService(Database db, Broker broker, ChatServiceOptions options, MeterRegistry registry, Clock clock,
                       PublishedListener afterPublish) {
        this(ChatStore.relational(db, clock, options.maxPage()), broker, options, registry, afterPublish);
    }

    /**
     * Over {@code store}, whichever databases it spans; its message store's page cap
     * is the one that applies. {@code afterPublish} hears of every committed message
     * once it is handed to the broker (offline push).
     */
    public ChatService(ChatStore store, Broker broker, ChatServiceOptions options, MeterRegistry registry,
                       PublishedListener afterPublish) {
        this(store, broker, options, registry, afterPublish, OnlineUsers.NONE);
    }

    /** As above; {@code online} says who {@code @here} mentions (ADR 0013). */
    public ChatService(ChatStore store, Broker broker, ChatServiceOptions options, MeterRegistry registry,
                       PublishedListener afterPublish, OnlineUsers online) {
        this.mentions = new Mentions(store.channels(), store.users(), online, MENTION_PRESENCE_TIMEOUT);
        this.members = new ChannelMembers(store.channels(), store.users(), online, MENTION_PRESENCE_TIMEOUT);
        this.users = store.users();
        this.channels = store.channels();
        this.messages = store.messages();
        this.devices = store.devices();
        this.broker = broker;
        this.options = options;
        this.publisher = new OrderedPublisher(broker, registry, afterPublish);
        int threads = options.workerThreads() == 0 ? store.database().poolSize() : options.workerThreads();
        this.workers = new BlockingExecutor("switchboard-chat", threads, options.queueCapacity());
        this.meters = new ChatMeters(registry);
        this.sendTimer = Timer.builder("switchboard.messages.send")
                .description("a send from the call to the broker hand-off: persist, then publish")
                .publishPercentileHistogram().register(registry);
        this.duplicates = Counter.builder("switchboard.messages.duplicates")
                .description("sends answered with an earlier message of the same client_msg_id").register(registry);
        this.eventFailures = Counter.builder("switchboard.membership.events.failures")
                .description("membership events the broker refused").register(registry);
        this.events = new MessageEvents(store.events(), publisher, workers, options, registry);
        Gauge.builder("switchboard.chat.queued", workers, BlockingExecutor::queued)
                .description("chat calls waiting for a database worker").register(registry);
    }

    public ChatServiceOptions options() {
        return options;
    }

    /** Edits, deletes, reactions and thread pages (ADR 0013), on the same workers and publisher as sends. */
    public MessageEvents events() {
        return events;
    }

    public CompletableFuture<User> createUser(NewUser user) {
        return workers.submit(() -> users.create(user));
    }

    public CompletableFuture<Optional<User>> user(String org, String id) {
        return workers.submit(() -> users.find(org, id));
    }

    /** Creates a group with the creator and {@code members}, and tells each member's sessions to subscribe. */
    public CompletableFuture<ChannelDetails> createGroup(UserRef creator, String name, List<String> members) {
        try {
            TextValidator.storable("name", name);
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(e);
        }
        return workers.submit(() -> {
            ChannelDetails d = channels.createGroup(creator, name, members);
            d.members().forEach(m -> pushEvent(d.channel().org(), m, ChatFrames.subscribed(d.channel())));
            return d;
        });
    }

    /** The DM of {@code me} and {@code other}, the same channel for either order; created on first use. */
    public CompletableFuture<Opened> openDm(UserRef me, String other) {
        return workers.submit(() -> {
            Opened o = channels.openDm(me, other);
            if (o.created()) {
                Channel c = o.details().channel();
                o.details().members().forEach(m -> pushEvent(c.org(), m, ChatFrames.subscribed(c)));
            }
            return o;
        });
    }

    public CompletableFuture<ChannelDetails> channel(UserRef caller, long channelId) {
        return workers.submit(() -> channels.details(caller, channelId));
    }

    /** The channel's members with who is online and when the others were last seen (presence leases). */
    public CompletableFuture<List<Member>> members(UserRef caller, long channelId) {
        return workers.submit(() -> members.list(caller, channelId));
    }

    public CompletableFuture<ChannelSummary> addMember(UserRef caller, long channelId, String userId) {
        return workers.submit(() -> {
            ChannelSummary s = channels.addMember(caller, channelId, userId);
            pushEvent(caller.org(), userId, ChatFrames.subscribed(s.channel()));
            return s;
        });
    }

    public CompletableFuture<Void> removeMember(UserRef caller, long channelId, String userId) {
        return workers.submit(() -> {
            Channel c = channels.removeMember(caller, channelId, userId);
            pushEvent(caller.org(), userId, ChatFrames.unsubscribed(c, ErrorCode.PERMISSION_DENIED));
            return null;
        });
    }

    public CompletableFuture<Membership> updateMembership(UserRef caller, long channelId, MembershipUpdate update) {
        return workers.submit(() -> channels.updateMembership(caller, channelId, update));
    }

    /**
     * Stores a message and, once committed, publishes it. Completes after the
     * commit (the client's ack); a duplicate completes with the stored message.
     */
    public CompletableFuture<SendResult> send(UserRef sender, long channelId, NewMessage message) {
        if (message.text().length() > options.maxTextLength()) {
            return CompletableFuture.failedFuture(
                    ChatException.badRequest("text longer than " + options.maxTextLength() + " characters"));
        }
        long start = System.nanoTime();
        return workers.submit(() -> {
            SendResult r = messages.send(sender, channelId, mentions.resolve(sender, channelId, message),
                    meters.timingCommit(publisher));
            if (r.duplicate()) {
                duplicates.increment();
            } else {
                sendTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            return r;
        });
    }

    /** Newest first, sequences below {@code beforeSeq} (0: from the newest). */
    public CompletableFuture<HistoryPage> historyBefore(UserRef reader, long channelId, long beforeSeq, int limit) {
        return meters.history(false, workers.submit(() -> messages.before(reader, channelId, beforeSeq, limit)));
    }

    /** Oldest first, sequences above {@code afterSeq}: catch-up after a reconnect. */
    public CompletableFuture<HistoryPage> historyAfter(UserRef reader, long channelId, long afterSeq, int limit) {
        return meters.history(true, workers.submit(() -> messages.after(reader, channelId, afterSeq, limit)));
    }

    /** Moves the reader's checkpoint forward (never back); completes with the checkpoint after the call. */
    public CompletableFuture<Long> markRead(UserRef reader, long channelId, long seq) {
        return workers.submit(() -> {
            long checkpoint = channels.markRead(reader, channelId, seq);
            // After the commit: the other members and the reader's other devices see the checkpoint.
            String channel = ChannelNames.chat(reader.org(), channelId);
            publishQuietly(channel, ChatFrames.readReceipt(channel, reader.userId(), checkpoint));
            return checkpoint;
        });
    }

    /** The user's channels with last sequence, unread count and flags: what the edge subscribes at connect. */
    public CompletableFuture<List<ChannelSummary>> memberships(UserRef user) {
        return workers.submit(() -> channels.memberships(user));
    }

    /** The user's channels with their last sequences, without counts: what an edge subscribes at connect. */
    public CompletableFuture<List<Channel>> memberChannels(UserRef user) {
        return workers.submit(() -> channels.memberChannels(user));
    }

    /** Whether the user may read and send on the channel (false for an unknown channel or another org's). */
    public CompletableFuture<Boolean> isMember(UserRef user, long channelId) {
        return workers.submit(() -> channels.isMember(user, channelId));
    }

    /**
     * Registers a push device for the caller: true when the token is new to them
     * (or moved from another user), false when it was already theirs.
     */
    public CompletableFuture<Boolean> registerDevice(UserRef user, DevicePlatform platform, String token) {
        try {
            TextValidator.storable("token", token);
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(e);
        }
        return workers.submit(() -> devices.register(user, platform, token));
    }

    /** Removes the caller's device with this token; false when they had none. */
    public CompletableFuture<Boolean> unregisterDevice(UserRef user, String token) {
        return workers.submit(() -> devices.unregister(user, token));
    }

    /** The caller's push devices. */
    public CompletableFuture<List<Device>> devices(UserRef user) {
        return workers.submit(() -> devices.devices(user));
    }

    private void pushEvent(String org, String userId, byte[] frame) {
        publishQuietly(ChannelNames.personal(org, userId), frame);
    }

    /** Publishes an event whose loss is not fatal (clients recover it through the REST API); failures are counted. */
    private void publishQuietly(String channel, byte[] frame) {
        try {
            broker.publish(channel, frame).whenComplete((ok, e) -> {
                if (e != null) {
                    eventFailures.increment();
                    log.warn("event to {} failed: {}", channel, e.toString());
                }
            });
        } catch (RuntimeException e) {
            eventFailures.increment();
            log.warn("event to {} failed: {}", channel, e.toString());
        }
    }

    /** Stops the workers after the calls already accepted; the database and broker stay open. */
    @Override
    public void close() {
        workers.close();
    }
}
