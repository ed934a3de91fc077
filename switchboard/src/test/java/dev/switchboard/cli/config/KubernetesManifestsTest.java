package dev.switchboard.cli.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks deploy/k8s/base without a cluster: every document is a named Kubernetes
 * object, the ConfigMap's switchboard.yaml passes {@code config check}, each
 * switchboard container's arguments (with its environment and that file) parse
 * as the launcher's subcommand that its image runs, and every component is probed,
 * scraped, spread and budgeted. {@code KustomizeOverlaysIT} renders the overlays
 * and runs the same checks on them.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("..", "deploy", "k8s", "base");
    private static final Pattern LAUNCHER = Pattern.compile("dev\\.switchboard\\.cli\\.Main ([^;&|]+)");

    private static Manifests manifests;

    @TempDir
    static Path tmp;
    private static Path config;

    @BeforeAll
    static void load() throws IOException {
        manifests = Manifests.fromDirectory(DIR);
        config = manifests.mountedConfig(tmp);
    }

    private static JsonNode find(String kind, String name) {
        return manifests.find(kind, name);
    }

    @Test
    void everyDocumentIsANamedKubernetesObject() {
        manifests.everyObjectIsNamedOnce();
        Set<String> seen = new HashSet<>();
        manifests.documents.forEach(d -> seen.add(d.path("kind").asText() + "/" + d.path("metadata").path("name").asText()));
        for (String id : List.of("Namespace/switchboard", "ConfigMap/switchboard-config", "Secret/switchboard-secrets",
                "Deployment/edge", "Service/edge", "Service/edge-nodes", "Deployment/balancer", "Service/balancer",
                "Deployment/messages", "Service/messages", "StatefulSet/redis", "Service/redis", "StatefulSet/postgres",
                "Service/postgres", "PodDisruptionBudget/edge", "PodDisruptionBudget/messages", "PodDisruptionBudget/balancer")) {
            assertTrue(seen.contains(id), "missing " + id);
        }
    }

    @Test
    void kustomizationListsEveryManifestButTheSecretTemplate() throws IOException {
        JsonNode k = new YAMLMapper().readTree(DIR.resolve("kustomization.yaml").toFile());
        Set<String> listed = new HashSet<>();
        k.path("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(DIR)) {
            Set<String> all = new HashSet<>(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml") && !n.equals("secret.example.yaml")).toList());
            assertEquals(all, listed);
        }
    }

    @Test
    void servicesSelectPodsThatExist() {
        manifests.servicesSelectPodsThatExist();
        assertEquals("None", find("Service", "edge-nodes").path("spec").path("clusterIP").asText(), "edge-nodes is headless");
    }

    @Test
    void theConfigMapPassesConfigCheck() {
        ConfigFile file = assertDoesNotThrow(() -> new ConfigValidator(Main::commandLine).check(config));
        assertEquals(List.of("edge", "messages", "balancer"), file.sectionNames());
        ConfigFile asManifest = assertDoesNotThrow(() -> new ConfigValidator(Main::commandLine).check(DIR.resolve("config.yaml")));
        assertEquals(file.sectionNames(), asManifest.sectionNames(), "the manifest checks as it is");
    }

    @Test
    void containerArgumentsParseAsTheLauncherSubcommand() {
        manifests.containerArgumentsParseAsTheLauncherSubcommand(config);
    }

    @Test
    void everyComponentIsProbedScrapedSpreadAndBudgeted() {
        manifests.everyComponentIsProbedScrapedSpreadAndBudgeted();
    }

    @Test
    void edgeDrainsBeforeItStopsAndIsGivenTimeToDoSo() {
        JsonNode pod = Manifests.podSpec(find("Deployment", "edge"));
        JsonNode edge = pod.path("containers").get(0);
        String[] command = new YAMLMapper().convertValue(edge.path("lifecycle").path("preStop").path("exec").path("command"), String[].class);
        assertEquals("java", command[0], "the image has no shell: the hook runs java itself");
        String hook = String.join(" ", command);
        Matcher m = LAUNCHER.matcher(hook);
        assertTrue(m.find(), hook);
        List<String> args = new ArrayList<>(List.of(m.group(1).strip().split("\\s+")));
        assertEquals(List.of("edge", "drain"), args.subList(0, 2));
        // The pod gives the keys as $SWITCHBOARD_API_KEYS (the hook presents the first), which picocli reads from the real environment.
        assertTrue(edge.path("env").findValuesAsText("name").contains("SWITCHBOARD_API_KEYS"));
        args.addAll(List.of("--api-key", "0123456789abcdef0"));
        var parsed = assertDoesNotThrow(() -> Main.commandLine().parseArgs(args.toArray(String[]::new)));
        var drain = parsed.subcommand().subcommand();
        String window = drain.matchedOptionValue("--window", null).toString();
        long windowSeconds = java.time.Duration.parse(window).toSeconds();
        long waitSeconds = java.time.Duration.parse(drain.matchedOptionValue("--wait", null).toString()).toSeconds();
        assertTrue(waitSeconds > windowSeconds, "waits out the drain window");
        assertTrue(pod.path("terminationGracePeriodSeconds").asLong() > waitSeconds, "grace period covers the hook");
        assertEquals("/healthz", edge.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("api", edge.path("readinessProbe").path("httpGet").path("port").asText());
        assertEquals("/healthz", edge.path("livenessProbe").path("httpGet").path("path").asText());
    }
}
