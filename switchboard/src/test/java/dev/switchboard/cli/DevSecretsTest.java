package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSecretsTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedSecretIsReadableByItsOwnerOnlyAndKept() throws Exception {
        String secret = DevSecrets.persisted(dir, "jwt-secret", 32);
        assertEquals(64, secret.length());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("jwt-secret"))));
        assertEquals(secret, DevSecrets.persisted(dir, "jwt-secret", 32), "kept across restarts");
    }

    @Test
    void aSecretFileReadableByOthersIsNarrowedBeforeUse() throws Exception {
        Path file = dir.resolve("api-key");
        Files.writeString(file, "0123456789abcdef\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("0123456789abcdef", DevSecrets.persisted(dir, "api-key", 16));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).startsWith("0123456789abcdef"));
    }
}
