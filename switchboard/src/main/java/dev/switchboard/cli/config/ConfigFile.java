package dev.switchboard.cli.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML configuration file as read from disk: one mapping per subcommand
 * ({@code edge:}, {@code messages:}, {@code balancer:}, {@code dev:}) whose keys are
 * the subcommand's long option names without the dashes; or a Kubernetes ConfigMap
 * that holds one as its {@code switchboard.yaml} data. This class checks only
 * the shape; {@link ConfigValidator} checks names and values against the options.
 */
public final class ConfigFile {
    /** The data entry of a ConfigMap that holds the file. */
    static final String DATA_KEY = "switchboard.yaml";
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private final Path path;
    private final Map<String, Map<String, JsonNode>> sections;

    private ConfigFile(Path path, Map<String, Map<String, JsonNode>> sections) {
        this.path = path;
        this.sections = sections;
    }

    /** Reads and shape-checks the file; every problem found is in the exception. */
    public static ConfigFile load(Path path) throws ConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new ConfigException(path, List.of("no such file"));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new ConfigException(path, List.of("not valid YAML: " + e.getOriginalMessage() + where));
        } catch (IOException e) {
            throw new ConfigException(path, List.of("cannot be read: " + e));
        }
        if (root != null && root.isObject() && "ConfigMap".equals(root.path("kind").asText()) && root.has("data")) {
            root = configMapData(path, root);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigFile(path, Map.of());
        }
        if (!root.isObject()) {
            throw new ConfigException(path, List.of("the top level must be a mapping of sections (edge:, messages:, balancer:, dev:)"));
        }
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, JsonNode>> sections = new LinkedHashMap<>();
        root.properties().forEach(section -> {
            JsonNode body = section.getValue();
            if (body.isNull()) {
                sections.put(section.getKey(), Map.of());
            } else if (!body.isObject()) {
                problems.add(section.getKey() + ": must be a mapping of option names to values");
            } else {
                Map<String, JsonNode> values = new LinkedHashMap<>();
                body.properties().forEach(e -> {
                    String where = section.getKey() + "." + e.getKey();
                    if (e.getValue().isObject()) {
                        problems.add(where + ": a value or a list is expected, not a mapping");
                    } else if (e.getValue().isNull()) {
                        problems.add(where + ": has no value");
                    } else {
                        values.put(e.getKey(), e.getValue());
                    }
                });
                sections.put(section.getKey(), Collections.unmodifiableMap(values));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(path, problems);
        }
        return new ConfigFile(path, Collections.unmodifiableMap(sections));
    }

    /**
     * A Kubernetes ConfigMap that carries the file (deploy/k8s/base/config.yaml): the YAML of its one {@code .yaml}
     * data entry ({@code switchboard.yaml} when there are several), so that the manifest checks as it is.
     */
    private static JsonNode configMapData(Path path, JsonNode configMap) throws ConfigException {
        List<String> names = new ArrayList<>();
        configMap.path("data").fieldNames().forEachRemaining(n -> {
            if (n.endsWith(".yaml") || n.endsWith(".yml")) {
                names.add(n);
            }
        });
        String name = names.contains(DATA_KEY) ? DATA_KEY : names.size() == 1 ? names.get(0) : null;
        if (name == null) {
            throw new ConfigException(path, List.of("a ConfigMap whose data holds " + (names.isEmpty() ? "no .yaml entry"
                    : "several .yaml entries and no " + DATA_KEY) + ": expected the configuration under data." + DATA_KEY));
        }
        try {
            return YAML.readTree(configMap.path("data").path(name).asText());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + " of data." + name + ")";
            throw new ConfigException(path, List.of("data." + name + " is not valid YAML: " + e.getOriginalMessage() + where));
        }
    }

    public Path path() {
        return path;
    }

    /** The section names in file order. */
    public List<String> sectionNames() {
        return List.copyOf(sections.keySet());
    }

    /** The values of one section by key (empty when the file has no such section). */
    public Map<String, JsonNode> section(String name) {
        return sections.getOrDefault(name, Map.of());
    }
}
