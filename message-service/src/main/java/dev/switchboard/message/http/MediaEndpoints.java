package dev.switchboard.message.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.Media;
import dev.switchboard.message.http.HttpReplies.Reply;
import dev.switchboard.message.internal.ChatJson;
import dev.switchboard.message.media.MediaService;
import dev.switchboard.wire.ErrorCode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/media} (the raw file as the body, its type in Content-Type)
 * and {@code GET /v1/media/{id}}. Runs on the event loop; the object store and
 * database work runs on the media service's workers. Without a media service
 * (media off) both answer 404.
 */
final class MediaEndpoints {
    private final MediaService media;

    MediaEndpoints(MediaService media) {
        this.media = media;
    }

    /** 201 {id, content_type, size, created_at}; 415 for a type not accepted, 413 over the size limit. */
    CompletableFuture<Reply> upload(ApiRequest r, String contentType) {
        MediaService m = enabled();
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
        if (!m.accepts(type)) {
            return CompletableFuture.completedFuture(HttpReplies.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    ErrorCode.BAD_REQUEST, "Content-Type must be one of " + m.options().contentTypes().stream()
                            .sorted().toList()));
        }
        if (r.body().length > m.options().maxBytes()) {
            throw new ChatException(ErrorCode.PAYLOAD_TOO_LARGE, "media larger than " + m.options().maxBytes() + " bytes");
        }
        if (r.body().length == 0) {
            throw ChatException.badRequest("the body must be the file");
        }
        return m.upload(r.user(), type, r.body()).thenApply(x -> HttpReplies.created(json(x)));
    }

    /** Streams the bytes to the uploader or a member of the channel it was sent to; 403 to others, 404 across orgs. */
    CompletableFuture<Reply> download(ApiRequest r) {
        long id = ApiRequest.positiveLong(r.segments().get(2), "media id");
        return enabled().download(r.user(), id).thenApply(HttpReplies::stream);
    }

    MediaService service() {
        return media;
    }

    private MediaService enabled() {
        if (media == null) {
            throw ChatException.notFound("media is not enabled on this server");
        }
        return media;
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
