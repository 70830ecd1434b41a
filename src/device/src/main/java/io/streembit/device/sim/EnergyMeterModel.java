package io.streembit.device.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A single-phase meter: power wanders around a household load (50 W to 6 kW), energy integrates
 * it over the readings' timestamps, voltage stays near 230 V; {@code reset} zeroes the energy
 * and answers the value before.
 */
final class EnergyMeterModel implements DeviceModel {
    private static final String[] PROPERTIES = {"power", "energy", "voltage"};

    private final Random random;
    private final Walk power;
    private final Walk voltage;
    private final List<Reading> changed = new ArrayList<>();
    private double energy;
    private long lastTs = -1;
    private int turn;

    EnergyMeterModel(long seed) {
        random = new Random(seed);
        power = new Walk(300 + random.nextDouble() * 900, 50, 6000, 40, 0.01);
        voltage = new Walk(230, 207, 253, 0.5, 0.05);
        energy = Walk.round(random.nextDouble() * 5000, 3);
    }

    @Override
    public String kind() {
        return "energy-meter";
    }

    @Override
    public synchronized List<Reading> next(long ts) {
        if (lastTs >= 0 && ts > lastTs) {
            energy += power.value() * (ts - lastTs) / 3_600_000.0 / 1000.0; // W over ms, in kWh
        }
        lastTs = ts;
        if (!changed.isEmpty()) {
            List<Reading> out = List.copyOf(changed);
            changed.clear();
            return out;
        }
        String name = PROPERTIES[turn++ % PROPERTIES.length];
        double value = switch (name) {
            case "power" -> Walk.round(power.next(random), 1);
            case "voltage" -> Walk.round(voltage.next(random), 1);
            default -> Walk.round(energy, 3);
        };
        return List.of(new Reading(name, ts, DoubleNode.valueOf(value)));
    }

    @Override
    public synchronized CompletionStage<JsonNode> execute(String action, JsonNode input) {
        switch (action) {
            case "reset" -> {
                ObjectNode output = Json.object();
                output.put("energyBefore", Walk.round(energy, 3));
                energy = 0;
                changed.add(new Reading("energy", System.currentTimeMillis(), DoubleNode.valueOf(0)));
                return CompletableFuture.completedFuture(output);
            }
            case "reboot" -> {
                return CompletableFuture.completedFuture(null);
            }
            default -> throw new UnsupportedOperationException("energy meter has no action " + action);
        }
    }

    synchronized double energy() {
        return energy;
    }
}
