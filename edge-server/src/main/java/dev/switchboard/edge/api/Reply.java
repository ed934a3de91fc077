package dev.switchboard.edge.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.edge.pipeline.HttpResponses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The pending answer to one server API request; may be completed from any
 * thread (Netty moves the write onto the channel's loop). Keeps only what the
 * response needs, not the request body.
 */
final class Reply {
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest headersOnly;
    private final ObjectMapper json;

    Reply(ChannelHandlerContext ctx, FullHttpRequest req, ObjectMapper json) {
        this.ctx = ctx;
        // Only the headers are needed later (keep-alive); the body is released with the request.
        this.headersOnly = req.replace(io.netty.buffer.Unpooled.EMPTY_BUFFER);
        this.json = json;
    }

    void ok(Object body) {
        try {
            HttpResponses.json(ctx, headersOnly, HttpResponseStatus.OK, json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", "cannot encode the answer");
        }
    }

    void error(HttpResponseStatus status, String code, String message) {
        HttpResponses.error(ctx, headersOnly, status, code, message);
    }
}
