package io.streembit.device.sim;

import io.streembit.device.CommandHandler;
import io.streembit.protocol.feed.Reading;

import java.util.List;

/**
 * A simulated device's behaviour: values that evolve over time and the actions of its Thing
 * Description. Thread-safe: readings are taken on the event loop, commands run on workers.
 */
public interface DeviceModel extends CommandHandler {
    /** The kind, as in {@link io.streembit.device.Things#KINDS}. */
    String kind();

    /**
     * The next reading at {@code ts} (epoch milliseconds): state changed by a command first, then
     * the properties in turn, each moved a step; now and then an event.
     */
    List<Reading> next(long ts);

    /** A model of {@code kind} driven by {@code seed}. */
    static DeviceModel of(String kind, long seed) {
        return switch (kind) {
            case "thermostat" -> new ThermostatModel(seed);
            case "door-lock" -> new DoorLockModel(seed);
            case "energy-meter" -> new EnergyMeterModel(seed);
            default -> throw new IllegalArgumentException("unknown device kind '" + kind + "'");
        };
    }
}
