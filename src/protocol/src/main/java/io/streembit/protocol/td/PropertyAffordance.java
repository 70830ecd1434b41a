package io.streembit.protocol.td;

import java.util.Optional;

/**
 * A property of a Thing: a named value whose {@link #schema()} a reading must satisfy. In a
 * Thing Description the property's data schema members sit directly in the property object.
 */
public record PropertyAffordance(
        String name, Optional<String> title, Optional<String> description, DataSchema schema, boolean observable) {
    public boolean readOnly() {
        return schema.readOnly();
    }

    public boolean writeOnly() {
        return schema.writeOnly();
    }

    public Optional<String> unit() {
        return schema.unit();
    }
}
