package dev.switchboard.message.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

/** The standalone server's pipeline: HTTP codec, body limit (413; the aggregator also answers 100-continue), the chat API, and a 404 for the rest. */
public final class MessageServerInitializer extends ChannelInitializer<SocketChannel> {
    private final ChatHttpHandler chat;
    private final int maxContentLength;

    public MessageServerInitializer(ChatHttpHandler chat, int maxContentLength) {
        this.chat = chat;
        this.maxContentLength = maxContentLength;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast("http", new HttpServerCodec())
                .addLast("aggregate", new JsonHttpObjectAggregator(maxContentLength))
                .addLast("chat", chat)
                .addLast("not-found", NotFoundHandler.INSTANCE);
    }
}
