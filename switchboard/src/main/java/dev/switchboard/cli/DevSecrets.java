package dev.switchboard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The secrets dev mode generates and keeps in its data directory (the JWT secret,
 * the API key), so that tokens stay valid across restarts. A secret file is
 * readable and writable by its owner only (0600): it is created so, never
 * briefly readable by others, and a file found with wider permissions (an older
 * version wrote them with the umask's) is narrowed before it is read.
 */
final class DevSecrets {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private DevSecrets() {
    }

    /** The secret {@code name} in {@code dir}: read if it exists, else {@code bytes} random bytes (hex) written there. */
    static String persisted(Path dir, String name, int bytes) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            restrict(file);
            return Files.readString(file).trim();
        }
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        String value = HexFormat.of().formatHex(random);
        try {
            Files.write(create(file), (value + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) { // another process got there first: use its secret
            return persisted(dir, name, bytes);
        }
        return value;
    }

    private static Path create(Path file) throws IOException {
        if (posix(file)) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return Files.createFile(file, ownerOnly);
        }
        return Files.createFile(file);
    }

    private static void restrict(Path file) throws IOException {
        if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
