package dev.switchboard.cli.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.BuildInfo;
import dev.switchboard.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kustomize overlays of deploy/k8s rendered by {@code kubectl kustomize} (the
 * Debian package; bin/test installs it) and checked like the base: what they
 * change (replicas, images, zones, log level) and what every rendering must keep
 * (probes, budgets, spreading, arguments the launcher accepts, a configuration
 * that passes config check).
 */
class KustomizeOverlaysIT {
    private static final Path OVERLAYS = Path.of("..", "deploy", "k8s", "overlays");

    @TempDir
    Path dir;

    private static Manifests render(String overlay) throws IOException, InterruptedException {
        List<String> cmd = List.of("kubectl", "kustomize", OVERLAYS.resolve(overlay).toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is not installed: the overlays are rendered with 'kubectl kustomize' "
                    + "(Debian: apt-get install kubernetes-client, or kubectl; bin/test installs it when it runs as root)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd));
        return Manifests.fromText(out);
    }

    private void checkedLikeTheBase(Manifests m) throws IOException {
        m.everyObjectIsNamedOnce();
        m.servicesSelectPodsThatExist();
        m.everyComponentIsProbedScrapedSpreadAndBudgeted();
        Path config = m.mountedConfig(dir);
        assertDoesNotThrow(() -> new ConfigValidator(Main::commandLine).check(config));
        m.containerArgumentsParseAsTheLauncherSubcommand(config);
        assertTrue(m.ofKind("Secret").isEmpty(), "no overlay applies the secret template");
    }

    private static int replicas(Manifests m, String name) {
        return m.find("Deployment", name).path("spec").path("replicas").asInt();
    }

    private static List<String> spread(Manifests m, String name) {
        List<String> keys = new ArrayList<>();
        Manifests.podSpec(m.find("Deployment", name)).path("topologySpreadConstraints").forEach(t -> keys.add(t.path("topologyKey").asText()));
        return keys;
    }

    @Test
    void devRunsOneSmallReplicaOfEachComponentWithDebugLogs() throws Exception {
        Manifests dev = render("dev");
        checkedLikeTheBase(dev);
        for (String name : Manifests.COMPONENTS) {
            assertEquals(1, replicas(dev, name), name);
            JsonNode c = Manifests.podSpec(dev.find("Deployment", name)).path("containers").get(0);
            List<String> env = new ArrayList<>();
            c.path("env").forEach(e -> env.add(e.path("name").asText() + "=" + e.path("value").asText()));
            assertTrue(env.contains("SWITCHBOARD_LOG_LEVEL=DEBUG"), name + " " + env);
            assertTrue(env.stream().anyMatch(e -> e.startsWith("SWITCHBOARD_JWT_SECRET=")), "the base's environment is kept: " + env);
            assertEquals(c.path("resources").path("requests").path("memory").asText(), c.path("resources").path("limits").path("memory").asText());
        }
    }

    @Test
    void productionPullsTheReleaseFromTheRegistryAndSpreadsOverZones() throws Exception {
        Manifests prod = render("production");
        checkedLikeTheBase(prod);
        assertEquals(Map.of("edge", 6, "messages", 3, "balancer", 3),
                Map.of("edge", replicas(prod, "edge"), "messages", replicas(prod, "messages"), "balancer", replicas(prod, "balancer")));
        for (String name : Manifests.COMPONENTS) {
            String image = Manifests.podSpec(prod.find("Deployment", name)).path("containers").get(0).path("image").asText();
            assertEquals("registry.example.com/switchboard/switchboard-" + name + ":" + BuildInfo.current().version(), image);
            assertEquals(List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"), spread(prod, name), name);
        }
    }
}
