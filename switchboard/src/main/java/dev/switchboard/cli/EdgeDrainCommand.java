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
@Command(name = "drain",
        description = "Drain a running edge node: it refuses new connections, moves its sessions to other nodes in batches over --window, then exits.")
final class EdgeDrainCommand implements Callable<Integer> {
    @Option(names = "--api-url", defaultValue = "http://127.0.0.1:8081", description = "The node's server API (default: ${DEFAULT-VALUE}).")
    URI apiUrl;

    @Option(names = "--api-key", required = true, split = ",", defaultValue = "${env:" + AuthOptions.API_KEYS_ENV + "}",
            description = "The node's server API key; of a comma-separated list, the first.")
    java.util.List<String> apiKeys;

    @Option(names = "--window", defaultValue = "30s", description = "Spread the reconnects over this long (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--wait", defaultValue = "0s",
            description = "Then wait up to this long for the node to empty and exit, e.g. in a Kubernetes preStop hook (default: ${DEFAULT-VALUE}: don't wait).")
    Duration await;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public Integer call() throws Exception {
        String apiKey = AuthOptions.first(apiKeys);
        HttpRequest req = HttpRequest.newBuilder(apiUrl.resolve("/v1/drain")).timeout(Duration.ofSeconds(10))
                .header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"window_ms\":" + window.toMillis() + "}")).build();
        HttpResponse<String> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new StartupFailure("cannot reach the node's server API at " + apiUrl + " (--api-url): " + Startup.rootMessage(e)
                    + "; check the address and that the node runs with --api-port", e);
        }
        System.out.println(res.body());
        if (res.statusCode() != 200) {
            return 1;
        }
        return await.isZero() ? 0 : awaitExit(apiKey);
    }

    /** Polls the node's stats until it stops answering (it exits once empty); 0 when it did, 3 when the wait ran out. */
    private int awaitExit(String apiKey) throws InterruptedException {
        long deadline = System.nanoTime() + await.toNanos();
        HttpRequest stats = HttpRequest.newBuilder(apiUrl.resolve("/v1/stats")).timeout(Duration.ofSeconds(2))
                .header("X-Api-Key", apiKey).GET().build();
        while (System.nanoTime() < deadline) {
            try {
                http.send(stats, HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException gone) {
                System.out.println("{\"exited\":true}");
                return 0;
            }
            Thread.sleep(500);
        }
        System.out.println("{\"exited\":false}");
        return 3;
    }
}
