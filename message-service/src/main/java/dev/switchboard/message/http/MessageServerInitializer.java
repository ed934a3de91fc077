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
    private final AdminHandler admin;
    private final int maxContentLength;
    private final int maxMediaLength;

    public MessageServerInitializer(ChatHttpHandler chat, int maxContentLength) {
        this(chat, null, maxContentLength, maxContentLength);
    }

    public MessageServerInitializer(ChatHttpHandler chat, AdminHandler admin, int maxContentLength, int maxMediaLength) {
        this.chat = chat;
        this.admin = admin;
        this.maxContentLength = maxContentLength;
        this.maxMediaLength = maxMediaLength;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast("http", new HttpServerCodec())
                .addLast("aggregate", new JsonHttpObjectAggregator(maxContentLength, maxMediaLength));
        if (admin != null) {
            ch.pipeline().addLast("admin", admin);
        }
        ch.pipeline()
                .addLast("chat", chat)
                .addLast("not-found", NotFoundHandler.INSTANCE);
    }
}
