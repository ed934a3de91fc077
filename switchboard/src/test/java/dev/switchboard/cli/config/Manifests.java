package dev.switchboard.cli.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/**
 * Kubernetes objects read from YAML (the base's files, or what {@code kubectl kustomize}
 * renders), and the checks that every rendering of the manifests must pass: what the
 * launcher would do with each container's arguments, environment and mounted file, and
 * what Kubernetes needs to run, probe, spread and drain the pods.
 */
final class Manifests {
    static final String MOUNTED_CONFIG = "/etc/switchboard/switchboard.yaml";
    static final Set<String> COMPONENTS = Set.of("edge", "messages", "balancer");
    private static final Pattern IMAGE = Pattern.compile("(?:.*/)?switchboard-(edge|messages|balancer):(.+)");
    /** The port each image serves /healthz and /metrics on (images/pom.xml, the commands' defaults). */
    private static final Map<String, Integer> METRICS_PORT = Map.of("edge", 8081, "messages", 8090, "balancer", 8070);

    final List<JsonNode> documents;

    private Manifests(List<JsonNode> documents) {
        this.documents = List.copyOf(documents);
    }

    static Manifests fromDirectory(Path dir) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList()) {
                docs.addAll(parse(Files.readString(file)));
            }
        }
        return new Manifests(docs);
    }

    static Manifests fromText(String yaml) throws IOException {
        return new Manifests(parse(yaml));
    }

    private static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    List<JsonNode> ofKind(String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    JsonNode find(String kind, String name) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    /** The ConfigMap's switchboard.yaml, written to {@code dir} as the pods see it mounted. */
    Path mountedConfig(Path dir) throws IOException {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, find("ConfigMap", "switchboard-config").path("data").path("switchboard.yaml").asText());
        return file;
    }

    /** Every object is named and unique, in the switchboard namespace (but the namespace itself). */
    void everyObjectIsNamedOnce() {
        Set<String> seen = new HashSet<>();
        for (JsonNode d : documents) {
            String id = d.path("kind").asText() + "/" + d.path("metadata").path("name").asText();
            assertFalse(d.path("apiVersion").asText().isEmpty(), "apiVersion of " + id);
            assertFalse(d.path("metadata").path("name").asText().isEmpty(), "name of " + d);
            assertTrue(seen.add(id), "duplicate " + id);
            if (!d.path("kind").asText().equals("Namespace")) {
                assertEquals("switchboard", d.path("metadata").path("namespace").asText(), id);
            }
        }
    }

    /** Each switchboard container's arguments, with its environment and the mounted file, parse as its image's subcommand. */
    void containerArgumentsParseAsTheLauncherSubcommand(Path config, String version) {
        int checked = 0;
        for (JsonNode workload : ofKind("Deployment")) {
            for (JsonNode c : podSpec(workload).path("containers")) {
                Matcher image = IMAGE.matcher(c.path("image").asText());
                assertTrue(image.matches(), "image " + c.path("image").asText());
                assertEquals(version, image.group(2), "the images are tagged with the build's version");
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

    void containerArgumentsParseAsTheLauncherSubcommand(Path config) {
        containerArgumentsParseAsTheLauncherSubcommand(config, BuildInfo.current().version());
    }

    /**
     * Each component: started, ready and alive by probes on /healthz (the message-service and the balancer stay
     * alive on TCP so that a database or Redis outage does not restart them), scraped on the port that serves
     * /metrics, spread over nodes, and covered by a disruption budget that lets one pod go at a time.
     */
    void everyComponentIsProbedScrapedSpreadAndBudgeted() {
        for (String name : COMPONENTS) {
            JsonNode workload = find("Deployment", name);
            JsonNode pod = podSpec(workload);
            JsonNode c = pod.path("containers").get(0);
            for (String probe : List.of("startupProbe", "readinessProbe")) {
                assertEquals("/healthz", c.path(probe).path("httpGet").path("path").asText(), name + " " + probe);
            }
            assertFalse(c.path("livenessProbe").isMissingNode(), name + " livenessProbe");
            int port = METRICS_PORT.get(name);
            JsonNode annotations = workload.path("spec").path("template").path("metadata").path("annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), name);
            assertEquals(Integer.toString(port), annotations.path("prometheus.io/port").asText(), name);
            assertEquals("/metrics", annotations.path("prometheus.io/path").asText(), name);
            List<Integer> ports = new ArrayList<>();
            c.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
            assertTrue(ports.contains(port), name + " exposes " + port + ": " + ports);
            List<String> spread = new ArrayList<>();
            pod.path("topologySpreadConstraints").forEach(t -> spread.add(t.path("topologyKey").asText()));
            assertTrue(spread.contains("kubernetes.io/hostname"), name + " spread: " + spread);
            JsonNode budget = find("PodDisruptionBudget", name);
            assertEquals(1, budget.path("spec").path("maxUnavailable").asInt(), name);
            assertEquals(name, budget.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText());
            assertNotNull(workload.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText());
        }
    }

    /** Every Service selects pods of a workload. */
    void servicesSelectPodsThatExist() {
        for (JsonNode svc : ofKind("Service")) {
            JsonNode selector = svc.path("spec").path("selector");
            boolean matched = documents.stream().filter(d -> d.path("kind").asText().matches("Deployment|StatefulSet"))
                    .anyMatch(w -> selector.properties().stream().allMatch(e ->
                            w.path("spec").path("template").path("metadata").path("labels").path(e.getKey()).asText().equals(e.getValue().asText())));
            assertTrue(matched, "Service " + svc.path("metadata").path("name").asText() + " selects no pods");
        }
    }
}
