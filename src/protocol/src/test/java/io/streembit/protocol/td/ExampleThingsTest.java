package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The example Thing Descriptions in schemas/things: valid, and they check what a device would send. */
class ExampleThingsTest {
    static ThingDescription load(String name) throws ProtocolException {
        return ThingDescription.parse(JsonSchemas.thing(name));
    }

    static JsonNode json(String text) {
        try {
            return Json.parse(text.getBytes(StandardCharsets.UTF_8), "test value");
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static void assertViolation(ThrowingCall call, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION))
                .hasMessage("schema-violation: " + message);
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"thermostat.td.json", "door-lock.td.json", "energy-meter.td.json"})
    void everyExampleIsValidAgainstTheSchemaAndParses(String file) throws Exception {
        assertThat(JsonSchemas.errors("thing-description.schema.json", JsonSchemas.thing(file)))
                .isEmpty();
        ThingDescription td = load(file);
        assertThat(td.id()).startsWith("urn:example:streembit:");
        // Members outside the model (security, forms) survive in the JSON the TD is kept with.
        assertThat(td.json().get("securityDefinitions")).isNotNull();
        assertThat(td.json()).isEqualTo(Json.MAPPER.readTree(JsonSchemas.thing(file)));
        assertThat(td.actions()).containsKey("reboot");
    }

    @Test
    void thermostatModel() throws Exception {
        ThingDescription td = load("thermostat.td.json");
        assertThat(td.title()).isEqualTo("Thermostat");
        assertThat(td.properties().keySet()).containsExactly("temperature", "humidity", "targetTemperature");
        PropertyAffordance target = td.property("targetTemperature").orElseThrow();
        assertThat(target.unit()).contains("Cel");
        assertThat(target.readOnly()).isTrue();
        assertThat(target.observable()).isTrue();
        assertThat(target.schema().minimum())
                .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("5"));
        assertThat(target.schema().maximum())
                .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("30"));
        ActionAffordance set = td.action("setTargetTemperature").orElseThrow();
        assertThat(set.input().orElseThrow().required()).containsExactly("value");
        assertThat(td.action("reboot").orElseThrow().input()).isEmpty();
    }

    @Test
    void thermostatReadingsAndCommands() throws Exception {
        ThingDescription td = load("thermostat.td.json");
        assertThatCode(() -> td.validatePropertyValue("temperature", json("21.5")))
                .doesNotThrowAnyException();
        assertThatCode(() -> td.validatePropertyValue("targetTemperature", json("30")))
                .doesNotThrowAnyException();
        assertViolation(
                () -> td.validatePropertyValue("targetTemperature", json("45")),
                "/targetTemperature: 45 is above maximum 30");
        assertViolation(
                () -> td.validatePropertyValue("temperature", json("-41")), "/temperature: -41 is below minimum -40");
        assertViolation(
                () -> td.validatePropertyValue("humidity", json("\"wet\"")),
                "/humidity: \"wet\" is not of type number");
        assertViolation(
                () -> td.validatePropertyValue("pressure", json("1013")),
                "no property 'pressure' in the Thing Description");

        assertThatCode(() -> td.validateActionInput("setTargetTemperature", json("{\"value\":21.5}")))
                .doesNotThrowAnyException();
        assertViolation(
                () -> td.validateActionInput("setTargetTemperature", json("{\"value\":31}")),
                "/setTargetTemperature/input/value: 31 is above maximum 30");
        assertViolation(
                () -> td.validateActionInput("setTargetTemperature", json("{\"value\":21.3}")),
                "/setTargetTemperature/input/value: 21.3 is not a multiple of 0.5");
        assertViolation(
                () -> td.validateActionInput("setTargetTemperature", json("{}")),
                "/setTargetTemperature/input: missing required member 'value'");
        assertViolation(
                () -> td.validateActionInput("setTargetTemperature", null),
                "/setTargetTemperature/input: null is not of type object");
        assertThatCode(() -> td.validateActionInput("reboot", null)).doesNotThrowAnyException();
        assertThatCode(() -> td.validateActionInput("reboot", json("null"))).doesNotThrowAnyException();
        assertViolation(
                () -> td.validateActionInput("reboot", json("{\"now\":true}")),
                "/reboot/input: action 'reboot' takes no input, got {\"now\":true}");
        assertViolation(
                () -> td.validateActionInput("selfDestruct", null),
                "no action 'selfDestruct' in the Thing Description");
        assertThatCode(() -> td.validateActionOutput("setTargetTemperature", json("21.5")))
                .doesNotThrowAnyException();
        assertViolation(
                () -> td.validateActionOutput("reboot", json("1")),
                "/reboot/output: action 'reboot' has no output, got 1");
    }

    @Test
    void doorLockReadingsEventsAndCommandResults() throws Exception {
        ThingDescription td = load("door-lock.td.json");
        assertThat(td.actions().keySet()).containsExactly("lock", "unlock", "reboot");
        assertThatCode(() -> td.validateReading("locked", json("true"))).doesNotThrowAnyException();
        assertThatCode(() -> td.validateReading("battery", json("87"))).doesNotThrowAnyException();
        assertThatCode(() -> td.validateReading("battery", json("87.0"))).doesNotThrowAnyException();
        assertViolation(() -> td.validateReading("battery", json("87.5")), "/battery: 87.5 is not of type integer");
        assertViolation(() -> td.validateReading("battery", json("101")), "/battery: 101 is above maximum 100");
        assertViolation(() -> td.validateReading("locked", json("\"yes\"")), "/locked: \"yes\" is not of type boolean");

        assertThatCode(() -> td.validateReading(
                        "doorForced", json("{\"at\":\"2026-11-25T08:15:00Z\",\"sensor\":\"contact\"}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> td.validateEventData("doorForced", json("{\"at\":\"2026-11-25T08:15:00.25+01:00\"}")))
                .doesNotThrowAnyException();
        assertViolation(
                () -> td.validateEventData("doorForced", json("{\"at\":\"2026-13-25T08:15:00Z\"}")),
                "/doorForced/data/at: \"2026-13-25T08:15:00Z\" is not a valid date-time");
        assertViolation(
                () -> td.validateReading("doorForced", json("{\"at\":\"2026-11-25T08:15:00Z\",\"sensor\":\"laser\"}")),
                "/doorForced/data/sensor: \"laser\" is not one of [\"contact\", \"vibration\"]");
        assertViolation(
                () -> td.validateReading("doorForced", json("{}")), "/doorForced/data: missing required member 'at'");
        assertViolation(
                () -> td.validateReading("doorOpened", json("true")),
                "no property or event 'doorOpened' in the Thing Description");

        assertThatCode(() -> td.validateReading("$command-result", json("{\"id\":\"c1\",\"status\":\"ok\"}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> td.validateReading(
                        "$command-result", json("{\"id\":\"c2\",\"status\":\"rejected\",\"error\":\"expired\"}")))
                .doesNotThrowAnyException();
    }

    @Test
    void energyMeterReadingsAndResetOutput() throws Exception {
        ThingDescription td = load("energy-meter.td.json");
        assertThat(td.property("energy").orElseThrow().unit()).contains("kW.h");
        assertThatCode(() -> td.validateReading("power", json("1234.5"))).doesNotThrowAnyException();
        assertThatCode(() -> td.validateReading("voltage", json("230.1"))).doesNotThrowAnyException();
        assertViolation(() -> td.validateReading("voltage", json("300.5")), "/voltage: 300.5 is above maximum 300");
        assertViolation(() -> td.validateReading("power", json("-1")), "/power: -1 is below minimum 0");
        assertThatCode(() -> td.validateActionInput("reset", null)).doesNotThrowAnyException();
        assertThatCode(() -> td.validateActionOutput("reset", json("{\"energyBefore\":1520.25}")))
                .doesNotThrowAnyException();
        assertViolation(
                () -> td.validateActionOutput("reset", json("{\"energyBefore\":-3}")),
                "/reset/output/energyBefore: -3 is below minimum 0");
    }
}
