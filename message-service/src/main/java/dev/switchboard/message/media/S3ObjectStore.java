package dev.switchboard.message.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Objects in an S3-compatible bucket through the S3 REST API (PUT, GET and DELETE
 * Object), signed with {@link SigV4Signer}, over the JDK HttpClient: no AWS SDK.
 * Path-style URLs ({@code <endpoint>/<bucket>/<key>}), which AWS and every
 * S3-compatible store accept. Uploads stream with {@code UNSIGNED-PAYLOAD}
 * (the body is not hashed first; TLS protects it in transit).
 */
public final class S3ObjectStore implements ObjectStore {
    private final URI endpoint;
    private final String bucket;
    private final SigV4Signer signer;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;

    public S3ObjectStore(URI endpoint, String bucket, String region, String accessKey, String secretKey,
                         Duration timeout, Clock clock) {
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", ""));
        this.bucket = ObjectStore.checkKey(bucket);
        this.signer = new SigV4Signer(accessKey, secretKey, region, "s3");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void put(String key, InputStream data, long size, String contentType) throws IOException {
        URI uri = uri(key);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> data), size));
        b.header("Content-Type", contentType);
        sign(b, "PUT", uri, Map.of("content-type", contentType), SigV4Signer.UNSIGNED_PAYLOAD);
        HttpResponse<String> r = send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw failure("PUT", key, r.statusCode(), r.body());
        }
    }

    @Override
    public StoredObject get(String key) throws IOException {
        URI uri = uri(key);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        sign(b, "GET", uri, Map.of(), SigV4Signer.EMPTY_SHA256);
        HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 200) {
            long size = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            String type = r.headers().firstValue("Content-Type").orElse("application/octet-stream");
            return new StoredObject(r.body(), size, type);
        }
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(2048), StandardCharsets.UTF_8);
        }
        if (r.statusCode() == 404) {
            throw new NoSuchFileException(key);
        }
        throw failure("GET", key, r.statusCode(), body);
    }

    @Override
    public void delete(String key) throws IOException {
        URI uri = uri(key);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).DELETE();
        sign(b, "DELETE", uri, Map.of(), SigV4Signer.EMPTY_SHA256);
        HttpResponse<String> r = send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2 && r.statusCode() != 404) {
            throw failure("DELETE", key, r.statusCode(), r.body());
        }
    }

    @Override
    public String describe() {
        return "s3:" + endpoint + "/" + bucket;
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    /** Keys and bucket are [A-Za-z0-9._-] segments (checked), so they need no percent-encoding. */
    private URI uri(String key) {
        return URI.create(endpoint + "/" + bucket + "/" + ObjectStore.checkKey(key));
    }

    private void sign(HttpRequest.Builder b, String method, URI uri, Map<String, String> headers, String payloadHash) {
        signer.sign(method, uri, headers, payloadHash, clock.instant()).forEach(b::header);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during " + request.method() + " " + request.uri());
        }
    }

    private static IOException failure(String method, String key, int status, String body) {
        return new IOException("S3 " + method + " " + key + " failed: HTTP " + status + " "
                + body.substring(0, Math.min(body.length(), 300)));
    }
}
