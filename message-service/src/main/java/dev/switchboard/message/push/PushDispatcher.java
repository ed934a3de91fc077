package dev.switchboard.message.push;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelType;
import dev.switchboard.message.Device;
import dev.switchboard.message.Message;
import dev.switchboard.message.delivery.PublishedListener;
import dev.switchboard.message.presence.OnlineUsers;
import dev.switchboard.message.store.DeviceStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline push: hears of every published message ({@link PublishedListener}) and,
 * on its own threads, notifies each device of each member who should hear of it
 * and has no live session: members other than the sender, not muted (or with
 * notify_always, or mentioned by the message: ADR 0013), not online ({@link OnlineUsers}). Each device gets exactly one
 * notification per message through the {@link PushSender}.
 *
 * <p>The send path only enqueues: a bounded queue, and a full one drops the
 * message's pushes (counted in {@code switchboard.push.dropped{reason=queue_full}})
 * rather than slowing sends. If presence cannot be read in time, everyone
 * eligible is notified: a redundant notification is cheaper than a missed one.
 */
public final class PushDispatcher implements PublishedListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PushDispatcher.class);

    private final DeviceStore devices;
    private final OnlineUsers online;
    private final PushSender sender;
    private final PushOptions options;
    private final ThreadPoolExecutor workers;
    private final Counter queueFull;
    private final Counter presenceFailures;
    private final Counter failures;
    private final Counter notifications;
    private final Counter messages;

    public PushDispatcher(DeviceStore devices, OnlineUsers online, PushSender sender, PushOptions options,
                          MeterRegistry registry) {
        this.devices = devices;
        this.online = online;
        this.sender = sender;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(options.workerThreads(), options.workerThreads(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(options.queueCapacity()), r -> {
                    Thread t = new Thread(r, "switchboard-push-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.queueFull = Counter.builder("switchboard.push.dropped").tag("reason", "queue_full")
                .description("messages that got no push because the push queue was full").register(registry);
        this.presenceFailures = Counter.builder("switchboard.push.presence.failures")
                .description("presence lookups that failed or timed out (everyone eligible was notified)")
                .register(registry);
        this.failures = Counter.builder("switchboard.push.failures")
                .description("messages whose recipients could not be computed (database down)").register(registry);
        this.notifications = Counter.builder("switchboard.push.notifications")
                .description("notifications handed to the push sender").register(registry);
        this.messages = Counter.builder("switchboard.push.messages")
                .description("messages whose push fan-out has finished (every notification settled)")
                .register(registry);
        Gauge.builder("switchboard.push.queued", workers, w -> w.getQueue().size())
                .description("messages waiting for push fan-out").register(registry);
    }

    @Override
    public void published(Channel channel, Message message) {
        if (message.event() != null) {
            return; // edits, deletes and reactions notify nobody offline
        }
        try {
            workers.execute(() -> dispatch(channel, message));
        } catch (RejectedExecutionException e) {
            queueFull.increment();
            log.debug("push queue full; message {} gets no push", message.id());
        }
    }

    private void dispatch(Channel channel, Message message) {
        List<CompletableFuture<PushOutcome>> sent = new ArrayList<>();
        try {
            List<Device> targets = devices.pushTargets(channel.id(), message.sender(), message.state().mentions());
            if (!targets.isEmpty()) {
                Set<String> live = onlineOf(channel.org(), targets);
                // A DM is titled by its sender, and a mentioned member is told who mentioned them.
                boolean named = channel.type() == ChannelType.DM || !message.state().mentions().isEmpty();
                String senderName = named ? devices.userName(channel.org(), message.sender()).orElse(message.sender()) : null;
                for (Device d : targets) {
                    if (!live.contains(d.userId())) {
                        notifications.increment();
                        sent.add(sender.send(PushPayloads.notification(d, channel, message, senderName,
                                options.maxBodyLength())));
                    }
                }
            }
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("push for message {} of channel {} failed: {}", message.id(), channel.id(), e.toString());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> messages.increment());
    }

    private Set<String> onlineOf(String org, List<Device> targets) {
        Set<String> users = new LinkedHashSet<>();
        targets.forEach(d -> users.add(d.userId()));
        try {
            return online.online(org, users).get(options.presenceTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            presenceFailures.increment();
            log.warn("presence lookup failed, notifying every eligible member: {}", e.toString());
            return Set.of();
        }
    }

    /** Messages waiting for fan-out. */
    public int queued() {
        return workers.getQueue().size();
    }

    /** Finishes the queued fan-outs (bounded wait), then closes the sender. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            sender.close();
        }
    }
}
