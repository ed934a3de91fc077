package dev.switchboard.loadgen.protocol;

import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.FailureReasons;
import dev.switchboard.loadgen.metrics.LoadStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * Publishes through Pusher's HTTP events API ({@code POST /apps/<id>/events},
 * signed), asynchronously. At most {@link #MAX_IN_FLIGHT} requests are in
 * flight; beyond that a send is counted as an error instead of queued,
 * because an unbounded queue would hide the server falling behind.
 */
final class PusherPublisher implements Publisher {
    static final int MAX_IN_FLIGHT = 512;

    private final HttpClient http;
    private final URI api;
    private final String path;
    private final PusherSigner signer;
    private final IntFunction<String> channelName;
    private final int payloadSize;
    private final LoadStats stats;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    PusherPublisher(HttpClient http, URI api, String appId, PusherSigner signer, IntFunction<String> channelName,
                    int payloadSize, LoadStats stats) {
        this.http = http;
        this.api = api;
        this.path = "/apps/" + appId + "/events";
        this.signer = signer;
        this.channelName = channelName;
        this.payloadSize = payloadSize;
        this.stats = stats;
    }

    /** The events API body: the data is a JSON string holding the timestamped payload. */
    static String body(String channel, long intendedWallMicros, int payloadSize) {
        String data = Payloads.json(intendedWallMicros, payloadSize).replace("\"", "\\\"");
        return "{\"name\":\"" + PusherProtocol.EVENT + "\",\"channel\":\"" + channel + "\",\"data\":\"" + data + "\"}";
    }

    @Override
    public void publish(int channelIndex, long intendedWallMicros) {
        if (!inFlight.tryAcquire()) {
            stats.error(ErrorKind.SEND, "too many HTTP publishes in flight");
            return;
        }
        String body = body(channelName.apply(channelIndex), intendedWallMicros, payloadSize);
        String query = signer.signedQuery("POST", path, body, System.currentTimeMillis() / 1000);
        HttpRequest request = HttpRequest.newBuilder(api.resolve(path + "?" + query))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        stats.sent();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            inFlight.release();
            if (failure != null) {
                stats.error(ErrorKind.SEND, "HTTP publish failed: " + FailureReasons.of(failure));
            } else if (response.statusCode() / 100 != 2) {
                stats.error(ErrorKind.SEND, "HTTP publish answered " + FailureReasons.http(response.statusCode(), null));
            }
        });
    }
}
