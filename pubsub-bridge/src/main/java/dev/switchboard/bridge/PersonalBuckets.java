package dev.switchboard.bridge;

import dev.switchboard.wire.ChannelNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries personal channels on shared bucket channels (ADR 0019): a user's channel {@code <org>/#<user>} travels on
 * {@code <org>/~<b>}, one of {@link #BUCKETS} per organisation, so that a node holds a Redis subscription per bucket
 * it has users in instead of one per user. Callers keep using the user's own channel: a subscribe counts the user
 * in its bucket and subscribes the bucket at the first; a publish wraps the message with the user id; a message of
 * a bucket is handed on under the user's channel, and only for users subscribed here (the others are counted as
 * dropped). Other channels pass through. {@link PersonalChannels} says which ways this process publishes and
 * subscribes, for rolling upgrades.
 *
 * <p>Bucket message: {@code 0x01, n (one byte), the user id (n ASCII bytes), message}. A bucket name has a
 * {@code ~}, which no channel name may hold, so it never meets a channel that clients can name.
 */
public final class PersonalBuckets implements Broker {
    /** Buckets per organisation: part of the wire format, the same on every node of a fleet. */
    public static final int BUCKETS = 64;

    private static final Logger log = LoggerFactory.getLogger(PersonalBuckets.class);
    private static final byte MAGIC = 1;
    private static final String MARK = "/~";

    private final Broker inner;
    private final PersonalChannels mode;
    /** The personal channels subscribed on this node. */
    private final Set<String> users = ConcurrentHashMap.newKeySet();
    /** Bucket channel → its users here and its subscription (changed only in the map's compute, per bucket). */
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final List<Meter> meters;
    private final Counter notHere;
    private final Counter malformed;
    private volatile BrokerHandler handler;

    /** Takes ownership of {@code inner} (closes it); meters go to {@code registry}, tagged with the broker. */
    public PersonalBuckets(Broker inner, PersonalChannels mode, MeterRegistry registry) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.registry = Objects.requireNonNull(registry, "registry");
        String broker = inner.describe();
        this.notHere = Counter.builder("switchboard.broker.personal.dropped").tag("broker", broker)
                .tag("reason", "not-here")
                .description("personal pushes received on a bucket for users with no session on this node")
                .register(registry);
        this.malformed = Counter.builder("switchboard.broker.personal.dropped").tag("broker", broker)
                .tag("reason", "malformed").description("bucket messages that could not be read").register(registry);
        Gauge users = Gauge.builder("switchboard.broker.personal.users", this.users, Set::size).tag("broker", broker)
                .description("personal channels subscribed on this node").strongReference(true).register(registry);
        Gauge buckets = Gauge.builder("switchboard.broker.personal.buckets", this.buckets, m -> m.size())
                .tag("broker", broker).description("bucket channels subscribed on this node")
                .strongReference(true).register(registry);
        this.meters = List.of(notHere, malformed, users, buckets);
    }

    /** The bucket of a user: FNV-1a of the id's characters, modulo {@link #BUCKETS} (the same in every process). */
    public static int bucket(String userId) {
        int h = 0x811c9dc5;
        for (int i = 0; i < userId.length(); i++) {
            h ^= userId.charAt(i);
            h *= 0x01000193;
        }
        return Integer.remainderUnsigned(h, BUCKETS);
    }

    /** The bucket channel that carries a (valid) personal channel. */
    public static String bucketChannel(String personalChannel) {
        return ChannelNames.org(personalChannel) + MARK + bucket(ChannelNames.personalUser(personalChannel));
    }

    static boolean isBucket(String channel) {
        int slash = channel.indexOf('/');
        return slash > 0 && channel.startsWith(MARK, slash);
    }

    @Override
    public void setHandler(BrokerHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        inner.setHandler(new Unwrapper());
    }

    @Override
    public CompletableFuture<Void> publish(String channel, byte[] message) {
        if (!ChannelNames.isPersonal(channel)) {
            return inner.publish(channel, message);
        }
        if (!mode.publishesBucket()) {
            return inner.publish(channel, message);
        }
        String id = ChannelNames.personalUser(channel);
        if (id.length() > 255 || !isAscii(id)) {
            // User ids are checked long before (Ids: 1-64 of [A-Za-z0-9_.-]); one that is not would be rewritten here.
            // Refused before either copy goes out, so that the dual modes never send half of a push.
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a personal channel's user id must be at most 255 ASCII characters: " + channel));
        }
        CompletableFuture<Void> direct = mode.publishesUser() ? inner.publish(channel, message) : null;
        byte[] user = id.getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped = new byte[2 + user.length + message.length];
        wrapped[0] = MAGIC;
        wrapped[1] = (byte) user.length;
        System.arraycopy(user, 0, wrapped, 2, user.length);
        System.arraycopy(message, 0, wrapped, 2 + user.length, message.length);
        CompletableFuture<Void> viaBucket = inner.publish(bucketChannel(channel), wrapped);
        return direct == null ? viaBucket : CompletableFuture.allOf(direct, viaBucket);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        if (!mode.subscribesBucket() || !ChannelNames.isPersonal(channel)) {
            return inner.subscribe(channel);
        }
        Bucket b = buckets.compute(bucketChannel(channel), (name, existing) -> {
            Bucket bucket = existing != null ? existing : new Bucket();
            if (users.add(channel)) {
                bucket.users++;
            }
            // The first user subscribes the bucket; after a failed subscribe (Redis away) the next one asks again.
            if (bucket.subscription == null || bucket.subscription.isCompletedExceptionally()) {
                bucket.subscription = inner.subscribe(name);
            }
            return bucket;
        });
        return b.subscription;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        if (!mode.subscribesBucket() || !ChannelNames.isPersonal(channel)) {
            return inner.unsubscribe(channel);
        }
        CompletableFuture<Void>[] last = newFutureSlot();
        buckets.computeIfPresent(bucketChannel(channel), (name, bucket) -> {
            if (!users.remove(channel) || --bucket.users > 0) {
                return bucket;
            }
            last[0] = inner.unsubscribe(name);
            return null;
        });
        return last[0] != null ? last[0] : CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isAvailable() {
        return inner.isAvailable();
    }

    /** How this process publishes and subscribes personal channels. */
    public PersonalChannels mode() {
        return mode;
    }

    /** The Redis broker and this process's mode, e.g. {@code redis://h:6379 (personal channels: buckets)}. */
    @Override
    public String describe() {
        return inner.describe() + " (personal channels: " + mode.label() + ")";
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        inner.close();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<Void>[] newFutureSlot() {
        return new CompletableFuture[1];
    }

    /** A message of a bucket, handed on under its user's channel if that user is subscribed here. */
    private void onBucketMessage(BrokerHandler h, String bucket, byte[] message) {
        int n = message.length >= 2 && message[0] == MAGIC ? message[1] & 0xFF : -1;
        if (n <= 0 || message.length < 2 + n) {
            malformed.increment();
            log.debug("dropping an unreadable message of {} ({} bytes)", bucket, message.length);
            return;
        }
        String channel = bucket.substring(0, bucket.indexOf('/')) + "/#"
                + new String(message, 2, n, StandardCharsets.US_ASCII);
        if (!users.contains(channel)) {
            notHere.increment();
            return;
        }
        byte[] inner = new byte[message.length - 2 - n];
        System.arraycopy(message, 2 + n, inner, 0, inner.length);
        h.onMessage(channel, inner);
    }

    /** Receives from the inner broker: bucket messages are unwrapped; a resubscribed bucket names its users. */
    private final class Unwrapper implements BrokerHandler {
        @Override
        public void onMessage(String channel, byte[] message) {
            BrokerHandler h = handler;
            if (isBucket(channel)) {
                onBucketMessage(h, channel, message);
            } else {
                h.onMessage(channel, message);
            }
        }

        @Override
        public void onResubscribed(Set<String> channels) {
            Set<String> named = new HashSet<>();
            Set<String> resubscribedBuckets = new HashSet<>();
            for (String channel : channels) {
                (isBucket(channel) ? resubscribedBuckets : named).add(channel);
            }
            if (!resubscribedBuckets.isEmpty()) {
                for (String user : users) {
                    if (resubscribedBuckets.contains(bucketChannel(user))) {
                        named.add(user);
                    }
                }
            }
            handler.onResubscribed(named);
        }

        @Override
        public void onDisconnected() {
            handler.onDisconnected();
        }
    }

    /** A bucket's users on this node, and the subscription they share. */
    private static final class Bucket {
        int users;
        CompletableFuture<Void> subscription;
    }
}
