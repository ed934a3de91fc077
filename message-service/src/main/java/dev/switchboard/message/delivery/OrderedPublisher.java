package dev.switchboard.message.delivery;

import dev.switchboard.bridge.Broker;
import dev.switchboard.message.Channel;
import dev.switchboard.message.Message;
import dev.switchboard.message.store.SequenceListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed messages to the broker in sequence order per channel.
 *
 * <p>Two sends of one channel commit in sequence order, but the threads that
 * ran them return from commit in any order. So a send reserves its slot in the
 * channel's lane while its transaction still holds the channel's row lock
 * ({@link SequenceListener#sequenced}), which makes reservation order sequence
 * order; a slot is published when it and every slot before it are settled. A
 * rolled-back send abandons its slot and nothing is published for it. One
 * thread at a time drains a lane, outside the lane's lock, so broker calls keep
 * the order without holding a lock across them. Empty lanes are dropped.
 *
 * <p>A publish the broker refuses is logged and counted, never retried: the
 * message is durable and clients recover it through history.
 *
 * <p>After each hand-off the {@link PublishedListener} (offline push) hears of
 * the message on the same thread, outside every lock and transaction.
 */
public final class OrderedPublisher implements SequenceListener {
    private static final Logger log = LoggerFactory.getLogger(OrderedPublisher.class);

    private final Broker broker;
    private final Counter published;
    private final Counter failures;
    private final Timer commitToPublish;
    private final ConcurrentHashMap<Long, Lane> lanes = new ConcurrentHashMap<>();
    private final PublishedListener listener;

    public OrderedPublisher(Broker broker, MeterRegistry registry) {
        this(broker, registry, PublishedListener.NONE);
    }

    public OrderedPublisher(Broker broker, MeterRegistry registry, PublishedListener listener) {
        this.broker = broker;
        this.listener = listener;
        this.published = Counter.builder("switchboard.messages.published")
                .description("committed messages handed to the broker").register(registry);
        this.failures = Counter.builder("switchboard.messages.publish.failures")
                .description("committed messages the broker refused (recoverable through history)").register(registry);
        this.commitToPublish = Timer.builder("switchboard.messages.commit.to.publish")
                .description("a committed message: its commit to the broker's acknowledgement of its publish (ordering wait included)")
                .publishPercentileHistogram().register(registry);
    }

    @Override
    public Ticket sequenced(Channel channel, long seq) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(channel.id(), id -> new Lane());
            synchronized (lane) {
                // A lane that emptied and was dropped between lookup and lock is not used again.
                if (!lane.retired) {
                    Slot slot = new Slot(lane, channel, seq);
                    lane.slots.add(slot);
                    return slot;
                }
            }
        }
    }

    /** Lanes with slots not yet published (for tests and stats). */
    public int activeLanes() {
        return lanes.size();
    }

    private void settle(Slot slot, Message message) {
        Lane lane = slot.lane;
        synchronized (lane) {
            slot.settled = true;
            slot.message = message;
            slot.settledNanos = System.nanoTime();
            if (lane.draining) {
                return; // the draining thread will reach this slot
            }
            lane.draining = true;
        }
        drain(lane, slot.channel.id());
    }

    private void drain(Lane lane, long channelId) {
        while (true) {
            Slot next;
            synchronized (lane) {
                next = lane.slots.peek();
                if (next == null || !next.settled) {
                    lane.draining = false;
                    if (next == null) {
                        lane.retired = true;
                        lanes.remove(channelId, lane);
                    }
                    return;
                }
                lane.slots.poll();
            }
            if (next.message != null) {
                publish(next.channel, next.message, next.settledNanos);
                notifyListener(next.channel, next.message);
            }
        }
    }

    private void publish(Channel channel, Message message, long committedNanos) {
        String name = channel.realtimeName();
        try {
            broker.publish(name, ChatFrames.publication(channel, message)).whenComplete((ok, e) -> {
                if (e == null) {
                    published.increment();
                    commitToPublish.record(System.nanoTime() - committedNanos, TimeUnit.NANOSECONDS);
                } else {
                    failed(name, message, e);
                }
            });
        } catch (RuntimeException e) {
            failed(name, message, e);
        }
    }

    private void notifyListener(Channel channel, Message message) {
        try {
            listener.published(channel, message);
        } catch (RuntimeException e) {
            // A listener's bug must not stop this lane's later publishes.
            log.warn("published-message listener failed for message {}: {}", message.id(), e.toString());
        }
    }

    private void failed(String channel, Message message, Throwable e) {
        failures.increment();
        log.warn("publish of stored message {} (seq {}) to {} failed; clients recover it through history: {}",
                message.id(), message.seq(), channel, e.toString());
    }

    /** The unpublished slots of one channel, in sequence order. Guarded by its own monitor. */
    private static final class Lane {
        final ArrayDeque<Slot> slots = new ArrayDeque<>();
        boolean draining;
        boolean retired;
    }

    private final class Slot implements Ticket {
        final Lane lane;
        final Channel channel;
        final long seq;
        boolean settled;
        Message message;
        long settledNanos;

        Slot(Lane lane, Channel channel, long seq) {
            this.lane = lane;
            this.channel = channel;
            this.seq = seq;
        }

        @Override
        public void committed(Message m) {
            settle(this, m);
        }

        @Override
        public void abandoned() {
            settle(this, null);
        }

        @Override
        public String toString() {
            return "Slot{" + channel.id() + "#" + seq + ", settled=" + settled + "}";
        }
    }
}
