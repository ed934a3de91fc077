package dev.switchboard.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.cli.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** deploy/k8s/jobs/migrate-messages.yaml runs the launcher's migrate-messages with both stores from the secret. */
class MigrationJobManifestTest {
    private static final Path JOB = Path.of("..", "deploy", "k8s", "jobs", "migrate-messages.yaml");

    @Test
    void theJobRunsMigrateMessagesWithTheStoresOfTheSecret() throws IOException, NoSuchFieldException {
        JsonNode job = new YAMLMapper().readTree(JOB.toFile());
        assertEquals("Job", job.path("kind").asText());
        JsonNode container = job.path("spec").path("template").path("spec").path("containers").get(0);
        List<String> command = new YAMLMapper().convertValue(container.path("command"), new com.fasterxml.jackson.core.type
                .TypeReference<List<String>>() { });
        int main = command.indexOf("dev.switchboard.cli.Main");
        assertTrue(main > 0, command.toString());
        List<String> args = command.subList(main + 1, command.size());
        assertEquals(List.of("migrate-messages"), args);
        List<String> env = container.path("env").findValuesAsText("name");
        assertTrue(env.containsAll(List.of("SWITCHBOARD_DB_URL", "SWITCHBOARD_MESSAGES_DB")), env.toString());
        // The two variables are the command's --from and --to when neither is given.
        CommandLine migrate = Main.commandLine().getSubcommands().get(args.getFirst());
        Class<?> type = migrate.getCommandSpec().userObject().getClass();
        assertEquals("${env:SWITCHBOARD_DB_URL}", type.getDeclaredField("from").getAnnotation(Option.class).defaultValue());
        assertEquals("${env:SWITCHBOARD_MESSAGES_DB}", type.getDeclaredField("to").getAnnotation(Option.class)
                .defaultValue());
    }
}
