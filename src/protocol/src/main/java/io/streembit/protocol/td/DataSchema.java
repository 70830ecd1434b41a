package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.ProtocolException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A W3C WoT data schema: the JSON Schema subset a Thing Description uses to describe a
 * property value, an action's input or output, or an event's data. Immutable; only the Thing
 * Description parser builds one, so every schema here is well formed (numbers where numbers
 * belong, a compiled pattern, ...). An absent keyword constrains nothing.
 */
public final class DataSchema {
    private final JsonType type;
    private final JsonNode constValue;
    private final List<JsonNode> enumValues;
    private final BigDecimal minimum;
    private final BigDecimal maximum;
    private final BigDecimal exclusiveMinimum;
    private final BigDecimal exclusiveMaximum;
    private final BigDecimal multipleOf;
    private final Integer minLength;
    private final Integer maxLength;
    private final Pattern pattern;
    private final String format;
    private final DataSchema items;
    private final Integer minItems;
    private final Integer maxItems;
    private final Map<String, DataSchema> properties;
    private final List<String> required;
    private final List<DataSchema> oneOf;
    private final String unit;
    private final boolean readOnly;
    private final boolean writeOnly;

    private DataSchema(Builder b) {
        this.type = b.type;
        this.constValue = b.constValue;
        this.enumValues = List.copyOf(b.enumValues);
        this.minimum = b.minimum;
        this.maximum = b.maximum;
        this.exclusiveMinimum = b.exclusiveMinimum;
        this.exclusiveMaximum = b.exclusiveMaximum;
        this.multipleOf = b.multipleOf;
        this.minLength = b.minLength;
        this.maxLength = b.maxLength;
        this.pattern = b.pattern;
        this.format = b.format;
        this.items = b.items;
        this.minItems = b.minItems;
        this.maxItems = b.maxItems;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.required = List.copyOf(b.required);
        this.oneOf = List.copyOf(b.oneOf);
        this.unit = b.unit;
        this.readOnly = b.readOnly;
        this.writeOnly = b.writeOnly;
    }

    /**
     * Checks {@code value} against this schema; {@code pointer} names the value in the error
     * message (for example {@code /targetTemperature}). A Java null is the JSON null.
     *
     * @throws ProtocolException {@code SCHEMA_VIOLATION} naming the first violation found
     */
    public void validate(JsonNode value, String pointer) throws ProtocolException {
        SchemaValidator.validate(this, value, pointer);
    }

    public Optional<JsonType> type() {
        return Optional.ofNullable(type);
    }

    /** A copy of the {@code const} value; a present JSON null is a NullNode. */
    public Optional<JsonNode> constValue() {
        return Optional.ofNullable(constValue).map(JsonNode::deepCopy);
    }

    /** Copies of the {@code enum} values; empty when there is no enum. */
    public List<JsonNode> enumValues() {
        List<JsonNode> copy = new ArrayList<>(enumValues.size());
        enumValues.forEach(v -> copy.add(v.deepCopy()));
        return Collections.unmodifiableList(copy);
    }

    public Optional<BigDecimal> minimum() {
        return Optional.ofNullable(minimum);
    }

    public Optional<BigDecimal> maximum() {
        return Optional.ofNullable(maximum);
    }

    public Optional<BigDecimal> exclusiveMinimum() {
        return Optional.ofNullable(exclusiveMinimum);
    }

    public Optional<BigDecimal> exclusiveMaximum() {
        return Optional.ofNullable(exclusiveMaximum);
    }

    public Optional<BigDecimal> multipleOf() {
        return Optional.ofNullable(multipleOf);
    }

    public OptionalInt minLength() {
        return minLength == null ? OptionalInt.empty() : OptionalInt.of(minLength);
    }

    public OptionalInt maxLength() {
        return maxLength == null ? OptionalInt.empty() : OptionalInt.of(maxLength);
    }

    /** The regular expression source of {@code pattern}. */
    public Optional<String> pattern() {
        return Optional.ofNullable(pattern).map(Pattern::pattern);
    }

    public Optional<String> format() {
        return Optional.ofNullable(format);
    }

    public Optional<DataSchema> items() {
        return Optional.ofNullable(items);
    }

    public OptionalInt minItems() {
        return minItems == null ? OptionalInt.empty() : OptionalInt.of(minItems);
    }

    public OptionalInt maxItems() {
        return maxItems == null ? OptionalInt.empty() : OptionalInt.of(maxItems);
    }

    /** Member schemas of an object value, in document order. */
    public Map<String, DataSchema> properties() {
        return properties;
    }

    public List<String> required() {
        return required;
    }

    public List<DataSchema> oneOf() {
        return oneOf;
    }

    public Optional<String> unit() {
        return Optional.ofNullable(unit);
    }

    public boolean readOnly() {
        return readOnly;
    }

    public boolean writeOnly() {
        return writeOnly;
    }

    // Package-private views for the validator: no copies on the hot path.
    JsonType typeOrNull() {
        return type;
    }

    JsonNode constOrNull() {
        return constValue;
    }

    List<JsonNode> enumList() {
        return enumValues;
    }

    BigDecimal minimumOrNull() {
        return minimum;
    }

    BigDecimal maximumOrNull() {
        return maximum;
    }

    BigDecimal exclusiveMinimumOrNull() {
        return exclusiveMinimum;
    }

    BigDecimal exclusiveMaximumOrNull() {
        return exclusiveMaximum;
    }

    BigDecimal multipleOfOrNull() {
        return multipleOf;
    }

    Integer minLengthOrNull() {
        return minLength;
    }

    Integer maxLengthOrNull() {
        return maxLength;
    }

    Pattern compiledPattern() {
        return pattern;
    }

    String formatOrNull() {
        return format;
    }

    DataSchema itemsOrNull() {
        return items;
    }

    Integer minItemsOrNull() {
        return minItems;
    }

    Integer maxItemsOrNull() {
        return maxItems;
    }

    @Override
    public String toString() {
        return "DataSchema[" + (type == null ? "any" : type.wire()) + "]";
    }

    /** Mutable assembly area for {@link ThingDescriptionParser}; never escapes the package. */
    static final class Builder {
        JsonType type;
        JsonNode constValue;
        List<JsonNode> enumValues = List.of();
        BigDecimal minimum;
        BigDecimal maximum;
        BigDecimal exclusiveMinimum;
        BigDecimal exclusiveMaximum;
        BigDecimal multipleOf;
        Integer minLength;
        Integer maxLength;
        Pattern pattern;
        String format;
        DataSchema items;
        Integer minItems;
        Integer maxItems;
        Map<String, DataSchema> properties = Map.of();
        List<String> required = List.of();
        List<DataSchema> oneOf = List.of();
        String unit;
        boolean readOnly;
        boolean writeOnly;

        DataSchema build() {
            return new DataSchema(this);
        }
    }
}
