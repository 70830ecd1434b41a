package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The independent JOSE vectors, read from the protocol module (tests run in src/cli). */
final class Vectors {
    private Vectors() {}

    static JsonNode jose() {
        Path path = Path.of("..", "protocol", "src", "test", "resources", "vectors", "jose-secp256k1.json");
        try {
            return Json.MAPPER.readTree(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
