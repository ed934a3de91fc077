package dev.switchboard.message.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Objects as files under one directory (dev mode): {@code <dir>/<key>}, with the
 * content type beside it in {@code <key>.type}. A put writes a temporary file and
 * renames it into place, so a reader never sees half an object.
 */
public final class FilesystemObjectStore implements ObjectStore {
    private static final String TYPE_SUFFIX = ".type";

    private final Path root;

    public FilesystemObjectStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, InputStream data, long size, String contentType) throws IOException {
        Path target = path(key);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
        try {
            long written;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                written = data.transferTo(out);
            }
            if (written != size) {
                throw new IOException("expected " + size + " bytes for " + key + ", got " + written);
            }
            Files.writeString(typePath(target), contentType, StandardCharsets.US_ASCII);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public StoredObject get(String key) throws IOException {
        Path p = path(key);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(key);
        }
        String type = Files.readString(typePath(p), StandardCharsets.US_ASCII);
        return new StoredObject(Files.newInputStream(p), Files.size(p), type);
    }

    @Override
    public void delete(String key) throws IOException {
        Path p = path(key);
        Files.deleteIfExists(p);
        Files.deleteIfExists(typePath(p));
    }

    @Override
    public String describe() {
        return "filesystem:" + root;
    }

    private Path path(String key) {
        Path p = root.resolve(ObjectStore.checkKey(key)).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("bad object key: " + key);
        }
        return p;
    }

    private static Path typePath(Path object) {
        return object.resolveSibling(object.getFileName() + TYPE_SUFFIX);
    }
}
