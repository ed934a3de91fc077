package dev.switchboard.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;

/**
 * The body of a streamed response (a media download), after its head was
 * written. A producer writes chunks from any thread and, when
 * {@link #isWritable()} turns false, stops and registers
 * {@link #whenWritable}: it is called back (on the event loop) once the client
 * has read enough, so no thread waits for a slow reader. {@link #end()}
 * finishes the response; {@link #abort()} closes the connection, the only way
 * to tell a failure after the head (the client sees a short body).
 */
public final class ResponseStream {
    private final HttpResponder answers;
    private final HttpExchange exchange;
    private final Channel channel;
    private Runnable onWritable;
    private Runnable onAbort;
    private boolean finished;

    ResponseStream(HttpResponder answers, HttpExchange exchange, Channel channel) {
        this.answers = answers;
        this.exchange = exchange;
        this.channel = channel;
    }

    /** Writes and flushes a chunk (ownership passes to the stream); released at once if the connection is gone. */
    public void write(ByteBuf chunk) {
        if (!channel.isActive()) {
            chunk.release();
            return;
        }
        channel.writeAndFlush(new DefaultHttpContent(chunk), channel.voidPromise());
    }

    /** Whether the client keeps up: false while more than the write buffer's high-water mark waits for it. */
    public boolean isWritable() {
        return channel.isWritable();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Calls {@code resume} on the event loop as soon as the channel is writable
     * (at once if it is), or {@code aborted} instead if the connection closes first.
     * Hand blocking work in {@code resume} to another thread.
     */
    public void whenWritable(Runnable resume, Runnable aborted) {
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                aborted.run();
            } else if (channel.isWritable()) {
                resume.run();
            } else {
                onWritable = resume;
                onAbort = aborted;
            }
        });
    }

    /** Ends the body: the exchange is complete. */
    public void end() {
        channel.eventLoop().execute(() -> {
            if (!finished) {
                finished = true;
                answers.finishStream(exchange);
            }
        });
    }

    /** Gives up: closes the connection. */
    public void abort() {
        channel.eventLoop().execute(() -> {
            finished = true;
            channel.close();
        });
    }

    // ---- called by the connection's responder on the loop

    void writabilityChanged() {
        Runnable r = onWritable;
        if (r != null && channel.isWritable()) {
            onWritable = null;
            onAbort = null;
            r.run();
        }
    }

    void closed() {
        Runnable r = onAbort;
        onWritable = null;
        onAbort = null;
        if (r != null) {
            r.run();
        }
    }
}
