package dev.switchboard.client.internal;

import dev.switchboard.client.ChannelEvent;
import dev.switchboard.client.HistoryPage;
import dev.switchboard.client.Publication;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.RecoveryResult;
import dev.switchboard.wire.proto.StreamPosition;
import dev.switchboard.wire.proto.ServerFrame;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The channels of a client session: positions per chat channel, gap filling from
 * history (after a sequence jump, a {@code may_have_missed} push, or a position
 * the server could not replay), and pushes turned into the SDK's events.
 * Confined to the client's serial executor.
 */
public final class ChannelTracker {
    private final int pageSize;
    private final Executor serial;
    private final Consumer<Object> emit;
    private final Consumer<Throwable> report;
    private final Sequencer sequencer = new Sequencer();
    /** Channel -> whether another fill was asked for while one runs. */
    private final Map<String, Boolean> filling = new HashMap<>();
    private Set<String> serverChannels = new HashSet<>();
    /** Channels the app subscribed itself. */
    private final Set<String> explicit = new LinkedHashSet<>();
    private WireConnection conn;

    public ChannelTracker(int pageSize, Executor serial, Consumer<Object> emit, Consumer<Throwable> report) {
        this.pageSize = pageSize;
        this.serial = serial;
        this.emit = emit;
        this.report = report;
    }

    public Map<String, Long> positions() {
        return sequencer.positions();
    }

    /**
     * A connection is up: start the server's channels at its positions (ours win),
     * read from history what it could not replay, and subscribe again to what the
     * app subscribed.
     */
    public void connected(WireConnection c, ConnectResult hello) {
        conn = c;
        serverChannels = new HashSet<>(hello.getChannelsList());
        for (StreamPosition p : hello.getChannelPositionsList()) {
            sequencer.trackIfUnknown(p.getChannel(), p.getSeq());
        }
        for (RecoveryResult r : hello.getRecoveredList()) {
            if (!r.getRecovered()) {
                fillGap(r.getChannel(), 0); // too far behind for the server: read the rest from history
            }
        }
        for (String ch : explicit) {
            if (!serverChannels.contains(ch)) {
                subscribe(c, ch).exceptionally(err -> {
                    report.accept(err);
                    return null;
                });
            }
        }
    }

    /** The app subscribed {@code channel}: subscribe again after every reconnect. */
    public void keepSubscribed(String channel) {
        explicit.add(channel);
    }

    public void stopSubscribing(String channel) {
        explicit.remove(channel);
    }

    public void disconnected() {
        conn = null;
    }

    /** Subscribes, recovering from the channel's position when there is one. */
    public CompletableFuture<Void> subscribe(WireConnection c, String channel) {
        long since = sequencer.last(channel);
        return c.subscribe(channel, since >= 0, Math.max(0, since)).handleAsync((r, err) -> {
            if (err != null) {
                Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (e instanceof SwitchboardException s && s.code() == ErrorCode.ALREADY_SUBSCRIBED) {
                    return null;
                }
                throw new CompletionException(e);
            }
            if (since < 0 && r.getLastSeq() > 0) {
                sequencer.trackIfUnknown(channel, r.getLastSeq());
            } else if (since >= 0 && !r.getRecovered()) {
                fillGap(channel, 0);
            }
            return null;
        }, serial);
    }

    public void offer(Publication p) {
        Sequencer.Offer o = sequencer.offer(p, emit::accept);
        if (o.skipped() != null) {
            emit.accept(new ChannelEvent.Skipped(p.channel(), o.skipped()[0], o.skipped()[1]));
        }
        if (o.gap()) {
            fillGap(p.channel(), 0);
        }
    }

    public void push(ServerFrame f) {
        switch (f.getBodyCase()) {
            case PRESENCE_CHANGES -> emit.accept(new ChannelEvent.Presence(f.getPresenceChanges().getChannel(),
                    f.getPresenceChanges().getChangesList().stream()
                            .map(c -> new ChannelEvent.Presence.Change(c.getUserId(), c.getOnline())).toList()));
            case PRESENCE_CHANGE -> emit.accept(new ChannelEvent.Presence(f.getPresenceChange().getChannel(),
                    List.of(new ChannelEvent.Presence.Change(f.getPresenceChange().getUserId(), f.getPresenceChange().getOnline()))));
            case TYPING_EVENT -> emit.accept(new ChannelEvent.Typing(f.getTypingEvent().getChannel(), f.getTypingEvent().getUserId()));
            case READ_RECEIPT -> emit.accept(new ChannelEvent.ReadReceipt(f.getReadReceipt().getChannel(),
                    f.getReadReceipt().getUserId(), f.getReadReceipt().getSeq()));
            case MAY_HAVE_MISSED -> {
                fillGap(f.getMayHaveMissed().getChannel(), f.getMayHaveMissed().getSinceSeq());
                emit.accept(new ChannelEvent.MayHaveMissed(f.getMayHaveMissed().getChannel(), f.getMayHaveMissed().getReason()));
            }
            case SUBSCRIBED -> {
                serverChannels.add(f.getSubscribed().getChannel());
                sequencer.track(f.getSubscribed().getChannel(), f.getSubscribed().getLastSeq());
                emit.accept(new ChannelEvent.Subscribed(f.getSubscribed().getChannel(), f.getSubscribed().getLastSeq()));
            }
            case UNSUBSCRIBED -> {
                serverChannels.remove(f.getUnsubscribed().getChannel());
                sequencer.forget(f.getUnsubscribed().getChannel());
                emit.accept(new ChannelEvent.Unsubscribed(f.getUnsubscribed().getChannel(), f.getUnsubscribed().getCode()));
            }
            default -> { } // a push this version does not handle: ignored
        }
    }

    /** Reads history after the channel's last delivered sequence until no gap is left. */
    public void fillGap(String channel, long sinceSeq) {
        if (filling.containsKey(channel)) {
            filling.put(channel, true); // once more when the current fill ends
            return;
        }
        filling.put(channel, false);
        fillPage(channel, sinceSeq);
    }

    private void fillPage(String channel, long sinceSeq) {
        WireConnection c = conn;
        long last = sequencer.last(channel);
        if (c == null || !c.isOpen() || last < 0) {
            filling.remove(channel); // a dropped connection recovers the channel from its position on reconnect
            return;
        }
        long after = sinceSeq > 0 ? Math.min(sinceSeq, last) : last;
        c.historyAfter(channel, after, pageSize).whenCompleteAsync((page, err) -> {
            if (err != null) {
                filling.remove(channel);
                if (!(err.getCause() instanceof dev.switchboard.client.ConnectionClosedException)) {
                    report.accept(err);
                }
                return;
            }
            boolean gap = false;
            for (dev.switchboard.wire.proto.Publication p : page.getPublicationsList()) {
                Sequencer.Offer o = sequencer.offer(publication(p), emit::accept);
                gap |= o.gap();
            }
            // A page may be cut short to fit the server's outbound budget: its cursor says whether more follows.
            boolean more = page.getPublicationsCount() == pageSize || page.getNextCursor() != 0
                    || (gap && page.getPublicationsCount() > 0) || Boolean.TRUE.equals(filling.get(channel));
            if (more) {
                filling.put(channel, false);
                fillPage(channel, 0);
            } else {
                filling.remove(channel);
            }
        }, serial);
    }

    public static Publication publication(dev.switchboard.wire.proto.Publication p) {
        return new Publication(p.getChannel(), p.getSeq(), p.getSenderId(), p.getTimestampMs(), p.getPayload().toByteArray(),
                p.getMessageId(), p.getClientMsgId());
    }

    public static HistoryPage page(HistoryResult r) {
        return new HistoryPage(r.getPublicationsList().stream().map(ChannelTracker::publication).toList(), r.getNextCursor());
    }
}
