package io.streembit.protocol.td;

import java.util.Optional;

/** An event a Thing emits, with an optional schema for the data it carries. */
public record EventAffordance(
        String name, Optional<String> title, Optional<String> description, Optional<DataSchema> data) {}
