package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Checks a JSON value against a {@link DataSchema} with JSON Schema 2020-12 semantics for the
 * supported keywords: each keyword constrains only values of its own type (a {@code minimum}
 * says nothing about a string), {@code properties} constrains only members that are present,
 * and members not named by {@code properties} are allowed. Stops at the first violation and
 * reports it as {@code <json pointer>: <value> <rule broken>}. Written by hand, not with a
 * schema library, because the same code runs on small devices.
 */
final class SchemaValidator {
    /**
     * Regular-expression reads allowed per pattern check. Java's engine backtracks, so a
     * hostile pattern could otherwise stall a gateway validating a device's readings.
     */
    static final long PATTERN_STEP_BUDGET = 1_000_000;
    /** multipleOf on numbers whose scaled digits exceed this is refused rather than computed. */
    static final int MULTIPLE_OF_MAX_DIGITS = 1000;

    private SchemaValidator() {}

    static void validate(DataSchema schema, JsonNode value, String pointer) throws ProtocolException {
        JsonNode v = value == null ? NullNode.getInstance() : value;
        JsonType type = schema.typeOrNull();
        if (type != null && !type.matches(v)) {
            throw violation(pointer, JsonValues.describe(v) + " is not of type " + type.wire());
        }
        if (schema.constOrNull() != null && !JsonValues.equal(schema.constOrNull(), v)) {
            throw violation(
                    pointer,
                    JsonValues.describe(v) + " is not the constant " + JsonValues.describe(schema.constOrNull()));
        }
        if (!schema.enumList().isEmpty() && schema.enumList().stream().noneMatch(e -> JsonValues.equal(e, v))) {
            StringJoiner allowed = new StringJoiner(", ", "[", "]");
            schema.enumList().forEach(e -> allowed.add(JsonValues.describe(e)));
            throw violation(pointer, JsonValues.describe(v) + " is not one of " + allowed);
        }
        if (v.isNumber()) {
            checkNumber(schema, v, pointer);
        } else if (v.isTextual()) {
            checkString(schema, v.textValue(), pointer);
        } else if (v.isArray()) {
            checkArray(schema, v, pointer);
        } else if (v.isObject()) {
            checkObject(schema, v, pointer);
        }
        if (!schema.oneOf().isEmpty()) {
            checkOneOf(schema, v, pointer);
        }
    }

    private static void checkNumber(DataSchema schema, JsonNode v, String pointer) throws ProtocolException {
        BigDecimal d = JsonValues.decimal(v);
        if (d == null) {
            throw violation(pointer, JsonValues.describe(v) + " is not a finite number");
        }
        // the value is described only for a violation: serialising it for every valid reading
        // was 2 % of a busy gateway's CPU
        if (schema.minimumOrNull() != null && d.compareTo(schema.minimumOrNull()) < 0) {
            throw violation(pointer, JsonValues.describe(v) + " is below minimum " + schema.minimumOrNull());
        }
        if (schema.maximumOrNull() != null && d.compareTo(schema.maximumOrNull()) > 0) {
            throw violation(pointer, JsonValues.describe(v) + " is above maximum " + schema.maximumOrNull());
        }
        if (schema.exclusiveMinimumOrNull() != null && d.compareTo(schema.exclusiveMinimumOrNull()) <= 0) {
            throw violation(
                    pointer,
                    JsonValues.describe(v) + " is not above exclusiveMinimum " + schema.exclusiveMinimumOrNull());
        }
        if (schema.exclusiveMaximumOrNull() != null && d.compareTo(schema.exclusiveMaximumOrNull()) >= 0) {
            throw violation(
                    pointer,
                    JsonValues.describe(v) + " is not below exclusiveMaximum " + schema.exclusiveMaximumOrNull());
        }
        if (schema.multipleOfOrNull() != null && !isMultiple(d, schema.multipleOfOrNull(), pointer, v)) {
            throw violation(pointer, JsonValues.describe(v) + " is not a multiple of " + schema.multipleOfOrNull());
        }
    }

    /**
     * Exact decimal divisibility (0.3 is a multiple of 0.1, unlike in binary floating point).
     * Both numbers are scaled to integers first; a value so large or so fine that this needs
     * more than {@link #MULTIPLE_OF_MAX_DIGITS} digits is refused instead of computed.
     */
    private static boolean isMultiple(BigDecimal value, BigDecimal divisor, String pointer, JsonNode shown)
            throws ProtocolException {
        BigDecimal a = value.stripTrailingZeros();
        BigDecimal b = divisor.stripTrailingZeros();
        int scale = Math.max(a.scale(), b.scale());
        long aDigits = (long) a.precision() + scale - a.scale();
        long bDigits = (long) b.precision() + scale - b.scale();
        if (aDigits > MULTIPLE_OF_MAX_DIGITS || bDigits > MULTIPLE_OF_MAX_DIGITS) {
            throw violation(
                    pointer,
                    JsonValues.describe(shown) + " is too large or too precise to check multipleOf " + divisor);
        }
        BigInteger x = a.movePointRight(scale).toBigIntegerExact();
        BigInteger y = b.movePointRight(scale).toBigIntegerExact();
        return x.mod(y).signum() == 0;
    }

    private static void checkString(DataSchema schema, String s, String pointer) throws ProtocolException {
        int length = s.codePointCount(0, s.length());
        if (schema.minLengthOrNull() != null && length < schema.minLengthOrNull()) {
            throw violation(
                    pointer,
                    "string of " + length + " characters is shorter than minLength " + schema.minLengthOrNull());
        }
        if (schema.maxLengthOrNull() != null && length > schema.maxLengthOrNull()) {
            throw violation(
                    pointer,
                    "string of " + length + " characters is longer than maxLength " + schema.maxLengthOrNull());
        }
        if (schema.compiledPattern() != null) {
            boolean found;
            try {
                found = schema.compiledPattern()
                        .matcher(new BudgetedChars(s, new long[] {PATTERN_STEP_BUDGET}))
                        .find();
            } catch (BudgetedChars.Exhausted e) {
                throw violation(
                        pointer,
                        "pattern " + schema.compiledPattern().pattern()
                                + " exceeded its evaluation budget on this value");
            }
            if (!found) {
                throw violation(
                        pointer,
                        JsonValues.describe(TextNode.valueOf(s)) + " does not match pattern "
                                + schema.compiledPattern().pattern());
            }
        }
        if (schema.formatOrNull() != null && !Formats.conforms(schema.formatOrNull(), s)) {
            throw violation(
                    pointer, JsonValues.describe(TextNode.valueOf(s)) + " is not a valid " + schema.formatOrNull());
        }
    }

    private static void checkArray(DataSchema schema, JsonNode v, String pointer) throws ProtocolException {
        int size = v.size();
        if (schema.minItemsOrNull() != null && size < schema.minItemsOrNull()) {
            throw violation(pointer, "array of " + size + " items is shorter than minItems " + schema.minItemsOrNull());
        }
        if (schema.maxItemsOrNull() != null && size > schema.maxItemsOrNull()) {
            throw violation(pointer, "array of " + size + " items is longer than maxItems " + schema.maxItemsOrNull());
        }
        if (schema.itemsOrNull() != null) {
            for (int i = 0; i < size; i++) {
                validate(schema.itemsOrNull(), v.get(i), JsonValues.child(pointer, i));
            }
        }
    }

    private static void checkObject(DataSchema schema, JsonNode v, String pointer) throws ProtocolException {
        for (String name : schema.required()) {
            if (!v.has(name)) {
                throw violation(pointer, "missing required member '" + name + "'");
            }
        }
        for (Map.Entry<String, DataSchema> p : schema.properties().entrySet()) {
            JsonNode member = v.get(p.getKey());
            if (member != null) {
                validate(p.getValue(), member, JsonValues.child(pointer, p.getKey()));
            }
        }
    }

    private static void checkOneOf(DataSchema schema, JsonNode v, String pointer) throws ProtocolException {
        int matches = 0;
        for (DataSchema alternative : schema.oneOf()) {
            try {
                validate(alternative, v, pointer);
                matches++;
            } catch (ProtocolException e) {
                // not this alternative
            }
        }
        if (matches == 0) {
            throw violation(
                    pointer,
                    JsonValues.describe(v) + " matches none of the "
                            + schema.oneOf().size() + " oneOf alternatives");
        }
        if (matches > 1) {
            throw violation(
                    pointer,
                    JsonValues.describe(v) + " matches " + matches + " oneOf alternatives, exactly one is required");
        }
    }

    static ProtocolException violation(String pointer, String rule) {
        return new ProtocolException(ErrorCode.SCHEMA_VIOLATION, pointer + ": " + rule);
    }

    /** A string whose characters can be read only so many times, to bound regex backtracking. */
    private static final class BudgetedChars implements CharSequence {
        private final String text;
        private final long[] budget;

        BudgetedChars(String text, long[] budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedChars(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }

        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }
    }
}
