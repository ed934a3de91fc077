package dev.switchboard.message.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of a test pipeline: takes the responses the handler writes,
 * from whichever thread writes them (ChatService answers from its workers), so a
 * test can wait for one. {@code EmbeddedChannel}'s own outbound queue is not safe
 * to read while another thread writes to it.
 */
final class ResponseCapture extends ChannelOutboundHandlerAdapter {
    private final BlockingQueue<FullHttpResponse> responses = new LinkedBlockingQueue<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        responses.add((FullHttpResponse) msg);
        promise.setSuccess();
    }

    /** The next response, or null if none came within the timeout. */
    FullHttpResponse poll(long timeout, TimeUnit unit) throws InterruptedException {
        return responses.poll(timeout, unit);
    }
}
