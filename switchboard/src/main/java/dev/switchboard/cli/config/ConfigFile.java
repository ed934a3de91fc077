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
 * the subcommand's long option names without the dashes. This class checks only
 * the shape; {@link ConfigValidator} checks names and values against the options.
 */
public final class ConfigFile {
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
