package dev.switchboard.message.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemObjectStoreTest {
    @TempDir
    Path dir;

    @Test
    void putsGetsAndDeletesObjects() throws IOException {
        FilesystemObjectStore store = new FilesystemObjectStore(dir.resolve("objects"));
        byte[] data = {1, 2, 3, 4, 5};
        store.put("acme/one", new ByteArrayInputStream(data), data.length, "image/gif");
        try (StoredObject o = store.get("acme/one")) {
            assertEquals(5, o.size());
            assertEquals("image/gif", o.contentType());
            assertArrayEquals(data, o.data().readAllBytes());
        }
        store.delete("acme/one");
        store.delete("acme/one");
        assertThrows(NoSuchFileException.class, () -> store.get("acme/one"));
    }

    @Test
    void aShortStreamStoresNothing() throws IOException {
        FilesystemObjectStore store = new FilesystemObjectStore(dir);
        assertThrows(IOException.class, () -> store.put("acme/short", new ByteArrayInputStream(new byte[3]), 10, "video/mp4"));
        assertThrows(NoSuchFileException.class, () -> store.get("acme/short"));
        try (var files = Files.list(dir.resolve("acme"))) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
        }
    }
}
