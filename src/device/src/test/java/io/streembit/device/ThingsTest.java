package io.streembit.device;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TDs in the jar are the repository's examples, byte for byte. */
class ThingsTest {
    private static final Path SCHEMAS = Path.of("../../schemas/things");

    @Test
    void bundledThingDescriptionsAreIdenticalToTheRepositoryExamples() throws IOException {
        for (String kind : Things.KINDS) {
            byte[] repository = Files.readAllBytes(SCHEMAS.resolve(kind + ".td.json"));
            try (InputStream in = Things.class.getResourceAsStream("/things/" + kind + ".td.json")) {
                assertThat(in).as(kind).isNotNull();
                assertThat(in.readAllBytes())
                        .as(kind + ": copy schemas/things/ to src/device/src/main/resources/things/")
                        .isEqualTo(repository);
            }
            assertThat(Things.load(kind).title()).isNotBlank();
        }
        try (var files = Files.list(SCHEMAS)) {
            assertThat(files.map(p -> p.getFileName().toString().replace(".td.json", ""))
                            .sorted())
                    .containsExactlyInAnyOrderElementsOf(Things.KINDS);
        }
    }

    @Test
    void eachDeviceGetsItsOwnThingId() {
        assertThat(Things.forDevice("door-lock", "ab".repeat(20)).id())
                .isEqualTo("urn:streembit:device:" + "ab".repeat(20));
        assertThat(Things.forDevice("door-lock", "ab".repeat(20)).actions()).containsKeys("lock", "unlock", "reboot");
        assertThatThrownBy(() -> Things.load("toaster")).isInstanceOf(IllegalArgumentException.class);
    }
}
