package dev.switchboard.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard edge drain}: asks a running node (through its server API) to drain and leave. */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Drain a running edge node: it refuses new connections, moves its sessions to other nodes in batches over --window, then exits.")
final class EdgeDrainCommand implements Callable<Integer> {
    @Option(names = "--api-url", defaultValue = "http://127.0.0.1:8081", description = "The node's server API (default: ${DEFAULT-VALUE}).")
    URI apiUrl;

    @Option(names = "--api-key", required = true, defaultValue = "${env:SWITCHBOARD_API_KEY}", description = "A server API key (default: $SWITCHBOARD_API_KEY).")
    String apiKey;

    @Option(names = "--window", defaultValue = "30s", description = "Spread the reconnects over this long (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Override
    public Integer call() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(apiUrl.resolve("/v1/drain")).timeout(Duration.ofSeconds(10))
                .header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"window_ms\":" + window.toMillis() + "}")).build();
        HttpResponse<String> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        System.out.println(res.body());
        return res.statusCode() == 200 ? 0 : 1;
    }
}
