package dev.switchboard.benchmarks;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * An embedded channel that answers a given loop as its own: the hub knows its loops by
 * identity, and an embedded channel's loop is one of its own otherwise. Embedded loops run
 * everything on the calling thread, so this changes nothing else.
 */
final class LoopEmbeddedChannel extends EmbeddedChannel {
    private final EventLoop loop;

    /** {@code loop}: the loop to answer, or null for the channel's own. */
    LoopEmbeddedChannel(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public EventLoop eventLoop() {
        return loop == null ? super.eventLoop() : loop;
    }
}
