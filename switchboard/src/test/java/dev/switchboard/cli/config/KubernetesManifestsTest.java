package dev.switchboard.cli.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.cli.BuildInfo;
import dev.switchboard.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks deploy/k8s without a cluster: every document is a named Kubernetes
 * object, the ConfigMap's switchboard.yaml passes {@code config check}, and each
 * switchboard container's arguments (with its environment and that file) parse
 * as the launcher's subcommand that its image runs.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("..", "deploy", "k8s");
    private static final String MOUNTED_CONFIG = "/etc/switchboard/switchboard.yaml";
    private static final Pattern IMAGE = Pattern.compile("switchboard-(edge|messages|balancer):(.+)");
    private static final Pattern LAUNCHER = Pattern.compile("dev\\.switchboard\\.cli\\.Main ([^;&|]+)");

    private static final List<JsonNode> documents = new ArrayList<>();

    @TempDir
    static Path tmp;
    private static Path config;

    @BeforeAll
    static void load() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList()) {
                try (var it = yaml.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
                    while (it.hasNext()) {
                        JsonNode doc = it.next();
                        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                            documents.add(doc);
                        }
                    }
                }
            }
        }
        JsonNode map = find("ConfigMap", "switchboard-config");
        config = tmp.resolve("switchboard.yaml");
        Files.writeString(config, map.path("data").path("switchboard.yaml").asText());
    }

    private static JsonNode find(String kind, String name) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void everyDocumentIsANamedKubernetesObject() {
        assertTrue(documents.size() >= 14, "documents: " + documents.size());
        Set<String> seen = new HashSet<>();
        for (JsonNode d : documents) {
            String id = d.path("kind").asText() + "/" + d.path("metadata").path("name").asText();
            assertFalse(d.path("apiVersion").asText().isEmpty(), "apiVersion of " + id);
            assertFalse(d.path("kind").asText().isEmpty(), "kind of " + d);
            assertFalse(d.path("metadata").path("name").asText().isEmpty(), "name of " + d);
            assertTrue(seen.add(id), "duplicate " + id);
        }
        for (String id : List.of("Namespace/switchboard", "ConfigMap/switchboard-config", "Secret/switchboard-secrets",
                "Deployment/edge", "Service/edge", "Service/edge-nodes", "Deployment/balancer", "Service/balancer",
                "Deployment/messages", "Service/messages", "StatefulSet/redis", "Service/redis", "StatefulSet/postgres",
                "Service/postgres")) {
            assertTrue(seen.contains(id), "missing " + id);
        }
    }

    @Test
    void kustomizationListsEveryManifestButTheSecretTemplate() throws IOException {
        JsonNode k = new YAMLMapper().readTree(DIR.resolve("kustomization.yaml").toFile());
        Set<String> listed = new HashSet<>();
        k.path("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(DIR)) {
            Set<String> manifests = new HashSet<>(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml") && !n.equals("secret.example.yaml")).toList());
            assertEquals(manifests, listed);
        }
    }

    @Test
    void servicesSelectPodsThatExist() {
        for (JsonNode svc : documents.stream().filter(d -> d.path("kind").asText().equals("Service")).toList()) {
            JsonNode selector = svc.path("spec").path("selector");
            boolean matched = documents.stream().filter(d -> d.path("kind").asText().matches("Deployment|StatefulSet"))
                    .anyMatch(w -> selector.properties().stream().allMatch(e ->
                            w.path("spec").path("template").path("metadata").path("labels").path(e.getKey()).asText().equals(e.getValue().asText())));
            assertTrue(matched, "Service " + svc.path("metadata").path("name").asText() + " selects no pods");
        }
        assertEquals("None", find("Service", "edge-nodes").path("spec").path("clusterIP").asText(), "edge-nodes is headless");
    }

    @Test
    void theConfigMapPassesConfigCheck() {
        ConfigFile file = assertDoesNotThrow(() -> new ConfigValidator(Main::commandLine).check(config));
        assertEquals(List.of("edge", "messages", "balancer"), file.sectionNames());
    }

    @Test
    void containerArgumentsParseAsTheLauncherSubcommand() {
        int checked = 0;
        for (JsonNode workload : documents.stream().filter(d -> d.path("kind").asText().equals("Deployment")).toList()) {
            for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
                Matcher image = IMAGE.matcher(c.path("image").asText());
                assertTrue(image.matches(), "image " + c.path("image").asText());
                assertEquals(BuildInfo.current().version(), image.group(2), "the images are tagged with the build's version");
                Map<String, String> env = new HashMap<>();
                c.path("env").forEach(e -> env.put(e.path("name").asText(),
                        e.has("value") ? e.path("value").asText() : "from-" + e.path("valueFrom").fieldNames().next() + "-0123456789abcdef0123456789"));
                List<String> args = new ArrayList<>(List.of(image.group(1)));
                c.path("args").forEach(a -> args.add(a.asText().equals(MOUNTED_CONFIG) ? config.toString() : a.asText()));
                assertTrue(args.contains(config.toString()), "reads the mounted config: " + args);
                assertDoesNotThrow(() -> Main.commandLine(env::get).parseArgs(args.toArray(String[]::new)), String.join(" ", args));
                checked++;
            }
        }
        assertEquals(3, checked);
    }

    @Test
    void edgeDrainsBeforeItStopsAndIsGivenTimeToDoSo() {
        JsonNode pod = find("Deployment", "edge").path("spec").path("template").path("spec");
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
