package io.streembit.device.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.device.Things;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.td.ThingDescription;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Simulated values stay valid by their Thing Description, move plausibly, and obey commands. */
class DeviceModelTest {
    private static final long T0 = 1_764_000_000_000L;

    /** Runs {@code steps} readings one second apart, checking each against the TD. */
    private static List<Reading> run(DeviceModel model, int steps, long from) throws Exception {
        ThingDescription td = Things.load(model.kind());
        List<Reading> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            for (Reading r : model.next(from + i * 1000L)) {
                td.validateReading(r.name(), r.value());
                out.add(r);
            }
        }
        return out;
    }

    private static Map<String, List<Double>> numbers(List<Reading> readings) {
        Map<String, List<Double>> out = new HashMap<>();
        for (Reading r : readings) {
            if (r.value().isNumber()) {
                out.computeIfAbsent(r.name(), k -> new ArrayList<>())
                        .add(r.value().asDouble());
            }
        }
        return out;
    }

    @Test
    void everyKindStaysWithinItsThingDescriptionAndItsValuesMoveInSmallSteps() throws Exception {
        for (String kind : Things.KINDS) {
            for (long seed = 1; seed <= 5; seed++) {
                List<Reading> readings = run(DeviceModel.of(kind, seed), 6000, T0);
                assertThat(readings).as(kind).hasSizeGreaterThanOrEqualTo(6000);
                for (Map.Entry<String, List<Double>> e : numbers(readings).entrySet()) {
                    List<Double> values = e.getValue();
                    if (e.getKey().equals("targetTemperature")) {
                        continue; // changes only by command
                    }
                    assertThat(new HashSet<>(values))
                            .as(kind + " " + e.getKey() + " varies")
                            .hasSizeGreaterThan(10);
                    double lo = values.stream()
                            .mapToDouble(Double::doubleValue)
                            .min()
                            .orElseThrow();
                    double hi = values.stream()
                            .mapToDouble(Double::doubleValue)
                            .max()
                            .orElseThrow();
                    for (int i = 1; i < values.size(); i++) {
                        // no jumps: a step is small against the range the value covers
                        assertThat(Math.abs(values.get(i) - values.get(i - 1)))
                                .as(kind + " " + e.getKey() + " step " + i + " seed " + seed)
                                .isLessThanOrEqualTo(Math.max(0.25 * (hi - lo), 2.0));
                    }
                }
            }
        }
    }

    @Test
    void aThermostatTakesItsNewTargetAndTheRoomFollows() throws Exception {
        ThermostatModel model = new ThermostatModel(7);
        ObjectNode input = Json.object();
        input.put("value", 28.5);
        JsonNode output = model.execute("setTargetTemperature", input)
                .toCompletableFuture()
                .get();
        Things.load("thermostat").validateActionOutput("setTargetTemperature", output);
        assertThat(output.asDouble()).isEqualTo(28.5);
        List<Reading> after = run(model, 3000, T0);
        assertThat(after.get(0).name()).isEqualTo("targetTemperature");
        assertThat(after.get(0).value().asDouble()).isEqualTo(28.5);
        List<Double> temperatures = numbers(after).get("temperature");
        double late = temperatures.subList(temperatures.size() - 100, temperatures.size()).stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
        assertThat(late).isBetween(26.0, 31.0);
    }

    @Test
    void aDoorLockFlipsOnLockAndUnlockAndReportsForcedEntriesOnlyWhenLocked() throws Exception {
        DoorLockModel model = new DoorLockModel(3);
        ThingDescription td = Things.load("door-lock");
        assertThat(model.execute("unlock", null).toCompletableFuture().get()).isNull();
        List<Reading> unlocked = run(model, 5000, T0);
        assertThat(unlocked.get(0).value().asBoolean()).isFalse();
        assertThat(unlocked).noneMatch(r -> r.name().equals("doorForced"));

        model.execute("lock", null).toCompletableFuture().get();
        td.validateActionOutput("lock", null);
        List<Reading> locked = run(model, 5000, T0 + 5_000_000);
        assertThat(locked.get(0).value().asBoolean()).isTrue();
        assertThat(locked).anyMatch(r -> r.name().equals("doorForced"));
        Set<String> names = new HashSet<>();
        locked.forEach(r -> names.add(r.name()));
        assertThat(names).containsExactlyInAnyOrder("locked", "battery", "doorForced");
    }

    @Test
    void anEnergyMeterCountsUpAndResetsToZero() throws Exception {
        EnergyMeterModel model = new EnergyMeterModel(11);
        List<Double> energy = numbers(run(model, 3000, T0)).get("energy");
        for (int i = 1; i < energy.size(); i++) {
            assertThat(energy.get(i)).isGreaterThanOrEqualTo(energy.get(i - 1));
        }
        double before = model.energy();
        JsonNode output = model.execute("reset", null).toCompletableFuture().get();
        Things.load("energy-meter").validateActionOutput("reset", output);
        assertThat(output.get("energyBefore").asDouble()).isCloseTo(before, org.assertj.core.data.Offset.offset(0.001));
        List<Reading> after = run(model, 3, T0 + 10_000_000);
        assertThat(after.get(0).name()).isEqualTo("energy");
        assertThat(after.get(0).value().asDouble()).isZero();
    }
}
