package dev.switchboard.message.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The standalone server's pipeline: HTTP codec, body limits (413; the aggregator
 * also answers 100-continue; media uploads get their own, larger limit), the chat
 * API, and a 404 for the rest.
 */
public final class MessageServerInitializer extends ChannelInitializer<SocketChannel> {
    private final ChatHttpHandler chat;
    private final int maxContentLength;
    private final int maxMediaLength;

    public MessageServerInitializer(ChatHttpHandler chat, int maxContentLength) {
        this(chat, maxContentLength, maxContentLength);
    }

    public MessageServerInitializer(ChatHttpHandler chat, int maxContentLength, int maxMediaLength) {
        this.chat = chat;
        this.maxContentLength = maxContentLength;
        this.maxMediaLength = maxMediaLength;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast("http", new HttpServerCodec())
                .addLast("aggregate", new JsonHttpObjectAggregator(maxContentLength, maxMediaLength))
                .addLast("chat", chat)
                .addLast("not-found", NotFoundHandler.INSTANCE);
    }
}
