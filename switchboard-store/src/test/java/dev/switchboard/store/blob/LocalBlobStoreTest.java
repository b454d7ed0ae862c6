package dev.switchboard.store.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest {

    @TempDir
    Path root;

    @Test
    void storedBytesComeBackUnderTheirId() throws Exception {
        LocalBlobStore blobs = new LocalBlobStore(root.resolve("blobs"));
        byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3};

        String id = blobs.put(image, "image/png");
        String other = blobs.put("hello".getBytes(StandardCharsets.UTF_8), "text/plain");

        assertThat(id).isNotEqualTo(other);
        assertThat(blobs.get(id)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(image));
        try (Stream<Path> files = Files.list(root.resolve("blobs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(id, other);
        }
    }

    @Test
    void unknownIdFindsNothing() {
        LocalBlobStore blobs = new LocalBlobStore(root.resolve("blobs"));

        assertThat(blobs.get("00000000-0000-0000-0000-000000000000")).isEmpty();
        assertThat(blobs.get(null)).isEmpty();
    }

    @Test
    void idThatIsAPathCannotReachOutsideTheFolder() throws Exception {
        Files.writeString(root.resolve("secret.txt"), "top secret");
        LocalBlobStore blobs = new LocalBlobStore(root.resolve("blobs"));
        String real = blobs.put(new byte[] {1}, "application/octet-stream");

        assertThat(blobs.get("../secret.txt")).isEmpty();
        assertThat(blobs.get(root.resolve("secret.txt").toString())).isEmpty();
        assertThat(blobs.get(real + "/../../secret.txt")).isEmpty();
        assertThat(blobs.get(real.toUpperCase())).isEmpty();
    }
}
