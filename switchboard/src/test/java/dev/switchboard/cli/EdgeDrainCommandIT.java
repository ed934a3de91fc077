package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.FreePorts;
import dev.switchboard.testing.ProcessPorts;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code switchboard edge drain --wait} against a launcher edge process: the node drains, exits 0, and the command sees it leave. */
class EdgeDrainCommandIT {
    static final String API_KEY = "drain-it-api-key-0123456789";

    @Test
    void aDrainedNodeExitsByItselfAndTheWaitingCommandSeesItLeave() throws Exception {
        int port = FreePorts.next();
        int apiPort = FreePorts.next();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process edge = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.switchboard.cli.Main", "edge",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--api-port", Integer.toString(apiPort),
                "--jwt-secret", "drain-it-secret-0123456789abcdef0123456789", "--api-key", "platform:" + API_KEY, "--io-threads", "1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            ProcessPorts.awaitListening("the edge process's API", edge, apiPort, Duration.ofSeconds(30));
            int rc = Main.commandLine().execute("edge", "drain",
                    "--api-url", "http://127.0.0.1:" + apiPort, "--api-key", API_KEY, "--window", "1s", "--wait", "30s");
            assertTrue(edge.waitFor(30, TimeUnit.SECONDS), "the drained node exits by itself");
            assertEquals(0, edge.exitValue());
            assertEquals(0, rc, "the command saw the node leave within --wait");
        } finally {
            edge.destroyForcibly();
        }
    }
}
