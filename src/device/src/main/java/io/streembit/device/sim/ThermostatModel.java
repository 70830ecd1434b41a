package io.streembit.device.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import io.streembit.protocol.feed.Reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A room thermostat: the temperature drifts towards the target (the heating works), humidity
 * wanders between 25 and 70 %, {@code setTargetTemperature} moves the target.
 */
final class ThermostatModel implements DeviceModel {
    private static final String[] PROPERTIES = {"temperature", "humidity", "targetTemperature"};

    private final Random random;
    private final Walk temperature;
    private final Walk humidity;
    private final List<Reading> changed = new ArrayList<>();
    private double target;
    private int turn;

    ThermostatModel(long seed) {
        random = new Random(seed);
        target = 19 + random.nextInt(7); // 19..25, a multiple of 0.5
        temperature = new Walk(target - 1 + random.nextDouble() * 2, -40, 85, 0.05, 0.02);
        humidity = new Walk(35 + random.nextDouble() * 20, 25, 70, 0.3, 0.01);
    }

    @Override
    public String kind() {
        return "thermostat";
    }

    @Override
    public synchronized List<Reading> next(long ts) {
        if (!changed.isEmpty()) {
            List<Reading> out = List.copyOf(changed);
            changed.clear();
            return out;
        }
        String name = PROPERTIES[turn++ % PROPERTIES.length];
        double value = switch (name) {
            case "temperature" -> Walk.round(temperature.next(random), 2);
            case "humidity" -> Walk.round(humidity.next(random), 1);
            default -> target;
        };
        return List.of(new Reading(name, ts, DoubleNode.valueOf(value)));
    }

    @Override
    public synchronized CompletionStage<JsonNode> execute(String action, JsonNode input) {
        switch (action) {
            case "setTargetTemperature" -> {
                target = input.get("value").asDouble();
                temperature.centre(target);
                changed.add(new Reading("targetTemperature", System.currentTimeMillis(), DoubleNode.valueOf(target)));
                return CompletableFuture.completedFuture(DoubleNode.valueOf(target));
            }
            case "reboot" -> {
                return CompletableFuture.completedFuture(null);
            }
            default -> throw new UnsupportedOperationException("thermostat has no action " + action);
        }
    }

    synchronized double target() {
        return target;
    }
}
