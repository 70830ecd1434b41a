package io.streembit.protocol.td;

import java.util.Optional;

/** An action a Thing can perform: an optional input schema, an optional output schema. */
public record ActionAffordance(
        String name,
        Optional<String> title,
        Optional<String> description,
        Optional<DataSchema> input,
        Optional<DataSchema> output,
        boolean safe,
        boolean idempotent) {}
