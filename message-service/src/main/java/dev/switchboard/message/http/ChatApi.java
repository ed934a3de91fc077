package dev.switchboard.message.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.http.Authenticator;
import dev.switchboard.http.Body;
import dev.switchboard.http.Handler;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.Response;
import dev.switchboard.http.Router;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.internal.ChatJson;
import dev.switchboard.message.media.MediaService;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The message-service's REST API as routes of the shared HTTP layer
 * ({@code dev.switchboard.http}, ADR 0009): every route authenticates from the
 * request head ({@link RequestAuthenticator}) before any of its body is read;
 * JSON routes buffer a body up to the surface's limit, the media upload streams
 * its declared length. The standalone {@code MessageServer} serves
 * {@link #router()} on its own port; dev mode adds it to the edge's public port.
 *
 * <p>Handlers run on the event loop and never block: JSON parsing is CPU only, the
 * database work runs on {@link ChatService}'s workers and the answer is written
 * when its future completes. {@link #errors()} maps the service's refusals to the
 * shared error envelope.
 */
public final class ChatApi {
    /** How long a media upload may take to arrive after its head. */
    public static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(2);

    private final ChatEndpoints endpoints;
    private final MessageEventEndpoints events;
    private final DeviceEndpoints devices;
    private final MediaRoutes media;
    private final Authenticator auth;
    private final Body jsonBody;

    /**
     * {@code media} null: media off (its routes do not exist). {@code maxJsonBytes}: the
     * limit of a JSON body, whatever the surface's default (dev mode serves these routes
     * on the edge's public port).
     */
    public ChatApi(ChatService chat, MediaService media, RequestAuthenticator authenticator, int maxJsonBytes) {
        Objects.requireNonNull(authenticator, "authenticator");
        this.jsonBody = Body.buffered(maxJsonBytes);
        this.endpoints = new ChatEndpoints(chat);
        this.events = new MessageEventEndpoints(chat);
        this.devices = new DeviceEndpoints(chat);
        this.media = media == null ? null : new MediaRoutes(media);
        this.auth = head -> {
            try {
                return authenticator.authenticate(head.headers());
            } catch (ChatException e) {
                throw toHttp(e);
            }
        };
    }

    /** The routes, in the order they are matched. */
    public Router router() {
        Router.Builder b = Router.builder()
                .route(HttpMethod.POST, "/v1/users", auth, jsonBody, json(endpoints::createUser))
                .route(HttpMethod.POST, "/v1/channels", auth, jsonBody, json(endpoints::createGroup))
                .route(HttpMethod.POST, "/v1/dms", auth, jsonBody, json(endpoints::openDm))
                .get("/v1/me/channels", auth, bodiless(endpoints::myChannels))
                .get("/v1/me/devices", auth, bodiless(devices::list))
                .route(HttpMethod.POST, "/v1/me/devices", auth, jsonBody, json(devices::register))
                .route(HttpMethod.DELETE, "/v1/me/devices/{token}", auth, Body.none(), bodiless(devices::unregister))
                .get("/v1/channels/{channel}", auth, bodiless(endpoints::channel))
                .get("/v1/channels/{channel}/members", auth, bodiless(endpoints::members))
                .route(HttpMethod.POST, "/v1/channels/{channel}/members", auth, jsonBody, json(endpoints::addMember))
                .route(HttpMethod.DELETE, "/v1/channels/{channel}/members/{user}", auth, Body.none(),
                        bodiless(endpoints::removeMember))
                .route(HttpMethod.PATCH, "/v1/channels/{channel}/membership", auth, jsonBody,
                        json(endpoints::updateMembership))
                .route(HttpMethod.POST, "/v1/channels/{channel}/messages", auth, jsonBody, json(endpoints::send))
                .get("/v1/channels/{channel}/messages", auth, bodiless(endpoints::history))
                .route(HttpMethod.PATCH, "/v1/channels/{channel}/messages/{message}", auth, jsonBody,
                        json(events::edit))
                .route(HttpMethod.DELETE, "/v1/channels/{channel}/messages/{message}", auth, Body.none(),
                        bodiless(events::delete))
                .route(HttpMethod.PUT, "/v1/channels/{channel}/messages/{message}/reactions/{emoji}", auth,
                        Body.none(), bodiless(events::addReaction))
                .route(HttpMethod.DELETE, "/v1/channels/{channel}/messages/{message}/reactions/{emoji}", auth,
                        Body.none(), bodiless(events::removeReaction))
                .get("/v1/channels/{channel}/messages/{message}/replies", auth, bodiless(events::replies))
                .get("/v1/channels/{channel}/events", auth, bodiless(events::log))
                .route(HttpMethod.PUT, "/v1/channels/{channel}/read", auth, jsonBody, json(endpoints::markRead));
        if (media != null) {
            b.route(HttpMethod.POST, "/v1/media", auth, Body.streamed(media.maxUploadBytes(), UPLOAD_TIMEOUT), media::upload)
                    .get("/v1/media/{id}", auth, media::download);
        }
        return b.build();
    }

    /** The service's refusals as answers (for {@code HttpServerPipeline.mapErrors}); null: a 500. */
    public static Function<Throwable, HttpError> errors() {
        return ChatErrors::map;
    }

    private static Handler json(Function<ApiRequest, CompletableFuture<HttpReplies.Reply>> call) {
        return ex -> ex.complete(call.apply(ApiRequest.of(ex, true)).thenApply(ChatApi::response));
    }

    private static Handler bodiless(Function<ApiRequest, CompletableFuture<HttpReplies.Reply>> call) {
        return ex -> ex.complete(call.apply(ApiRequest.of(ex, false)).thenApply(ChatApi::response));
    }

    private static Response response(HttpReplies.Reply r) {
        return r.body() == null ? Response.empty(r.status()) : json(r.status(), r.body());
    }

    static Response json(HttpResponseStatus status, JsonNode body) {
        try {
            return Response.of(status, ChatJson.MAPPER.writeValueAsBytes(body), Response.JSON);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpError toHttp(ChatException e) {
        HttpError h = ChatErrors.map(e);
        return h != null ? h : HttpError.internal();
    }
}
