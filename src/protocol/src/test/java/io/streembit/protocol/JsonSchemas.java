package io.streembit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The repository's JSON Schemas (../../schemas from the module, where surefire runs), checked
 * with networknt json-schema-validator, draft 2020-12. Every schema is registered under its
 * {@code $id}, so schemas can {@code $ref} each other. The validator runs on Jackson 3, so it
 * is fed JSON text, never our Jackson 2 trees.
 */
public final class JsonSchemas {
    public static final Path DIR = Path.of("../../schemas");
    public static final Path THINGS = DIR.resolve("things");
    private static final String META = "https://json-schema.org/draft/2020-12/schema";

    private static final Map<String, String> BY_ID = loadAll();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(BY_ID)
                    .schemaRegistryConfig(SchemaRegistryConfig.builder()
                            .formatAssertionsEnabled(true)
                            .build()));

    private JsonSchemas() {}

    /** The text of {@code schemas/<file>}. */
    public static String text(String file) {
        try {
            return Files.readString(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of an example Thing Description, {@code schemas/things/<name>}. */
    public static String thing(String name) {
        try {
            return Files.readString(THINGS.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with {@code json} under a bare data schema given as text: empty when valid. */
    public static List<String> errorsAgainstDataSchema(String dataSchemaJson, String json) {
        Schema schema = REGISTRY.getSchema(dataSchemaJson, InputFormat.JSON);
        return schema.validate(json, InputFormat.JSON).stream()
                .map(Object::toString)
                .toList();
    }

    /** What is wrong with {@code json} under {@code schemas/<file>}: empty when valid. */
    public static List<String> errors(String file, String json) {
        Schema schema = REGISTRY.getSchema(text(file), InputFormat.JSON);
        return schema.validate(json, InputFormat.JSON).stream()
                .map(Object::toString)
                .toList();
    }

    public static List<String> errors(String file, JsonNode json) {
        return errors(file, Json.text(json));
    }

    /** What is wrong with the schema file itself, checked against the draft 2020-12 meta-schema. */
    public static List<String> metaErrors(String file) {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(META));
        return meta.validate(text(file), InputFormat.JSON).stream()
                .map(Object::toString)
                .toList();
    }

    private static Map<String, String> loadAll() {
        Map<String, String> byId = new HashMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".schema.json")).toList()) {
                String text = Files.readString(file);
                JsonNode id = Json.MAPPER.readTree(text).get("$id");
                if (id != null) {
                    byId.put(id.asText(), text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byId;
    }
}
