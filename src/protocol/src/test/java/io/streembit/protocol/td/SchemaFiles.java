package io.streembit.protocol.td;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The repository's JSON Schemas (schemas/, relative to src/protocol) checked with an
 * independent validator (networknt, Jackson 3 underneath, so instances go in as JSON text).
 */
public final class SchemaFiles {
    public static final Path SCHEMAS = Path.of("../../schemas");
    public static final Path THINGS = SCHEMAS.resolve("things");
    public static final String BASE = "https://streembit.io/schemas/v1/";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, b -> b.schemas(schemaTexts()).schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private SchemaFiles() {
    }

    private static Map<String, String> schemaTexts() {
        Map<String, String> texts = new HashMap<>();
        for (String name : List.of("contact-offer.schema.json", "thing-description.schema.json")) {
            texts.put(BASE + name, read(SCHEMAS.resolve(name)));
        }
        return texts;
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String thing(String name) {
        return read(THINGS.resolve(name));
    }

    public static Schema schema(String file) {
        return REGISTRY.getSchema(SchemaLocation.of(BASE + file));
    }

    /** The validator's messages for {@code json} against schemas/{@code file}; empty when valid. */
    public static List<String> errors(String file, String json) {
        List<Error> errors = schema(file).validate(json, InputFormat.JSON);
        return errors.stream().map(Error::toString).collect(Collectors.toList());
    }

    /** The validator's messages for a bare data schema (not a file) against a value. */
    public static List<String> errorsAgainstDataSchema(String dataSchemaJson, String json) {
        Schema schema = REGISTRY.getSchema(dataSchemaJson, InputFormat.JSON);
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).collect(Collectors.toList());
    }
}
