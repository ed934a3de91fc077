package dev.switchboard.message.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.Media;
import dev.switchboard.message.internal.ChatJson;
import dev.switchboard.message.media.MediaService;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.InputStream;
import java.util.Locale;

/**
 * {@code POST /v1/media} (the raw file as a streamed body of a declared length,
 * its type in Content-Type) and {@code GET /v1/media/{id}} (streamed with
 * backpressure, {@link MediaDownload}). Registered only when media is on.
 */
final class MediaRoutes {
    private final MediaService media;

    MediaRoutes(MediaService media) {
        this.media = media;
    }

    /** 201 {id, content_type, size, created_at}; 415 for a type not accepted, 413 over the size limit. */
    void upload(HttpExchange ex) {
        MediaService m = media;
        CharSequence mime = HttpUtil.getMimeType(ex.request());
        String type = mime == null ? "" : mime.toString().toLowerCase(Locale.ROOT).trim();
        if (!m.accepts(type)) {
            throw HttpError.of(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, HttpError.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be one of " + m.options().contentTypes().stream().sorted().toList());
        }
        long size = HttpUtil.getContentLength(ex.request(), 0L);
        if (size == 0) {
            throw ChatException.badRequest("the body must be the file");
        }
        InputStream body = ex.bodyStream();
        ex.complete(m.upload(ApiRequest.of(ex, false).user(), type, body, size)
                .thenApply(x -> ChatApi.json(HttpResponseStatus.CREATED, json(x))));
    }

    /** Streams the bytes to the uploader or a member of the channel it was sent to; 403 to others, 404 across orgs. */
    void download(HttpExchange ex) {
        long id = ApiRequest.positiveLong(ex.pathParam("id"), "media id");
        MediaService m = media;
        m.download(ApiRequest.of(ex, false).user(), id).whenComplete((d, e) -> {
            if (e != null) {
                ex.fail(e);
                return;
            }
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, d.media().contentType())
                    .set(HttpHeaderNames.CONTENT_LENGTH, d.media().size())
                    .set(HttpHeaderNames.CACHE_CONTROL, "private, max-age=86400")
                    .set("X-Content-Type-Options", "nosniff");
            var out = ex.stream(head);
            if (HttpMethod.HEAD.equals(ex.method())) {
                MediaDownload.close(d);
                out.end();
            } else {
                MediaDownload.start(d, out, m);
            }
        });
    }

    /** The upload limit of the route: the media size limit. */
    long maxUploadBytes() {
        return media.options().maxBytes();
    }

    static ObjectNode json(Media m) {
        ObjectNode n = ChatJson.MAPPER.createObjectNode();
        n.put("id", m.id());
        n.put("content_type", m.contentType());
        n.put("size", m.size());
        n.put("created_at", m.createdAt().toString());
        return n;
    }
}
