package io.streembit.device.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Reading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A door lock: {@code lock}/{@code unlock} flip {@code locked}, the battery drains slowly (and a
 * reboot does not recharge it), and now and then a locked door is forced ({@code doorForced}).
 */
final class DoorLockModel implements DeviceModel {
    /** Chance per reading that a locked door reports being forced. */
    static final double FORCED_CHANCE = 0.002;

    private final Random random;
    private final List<Reading> changed = new ArrayList<>();
    private boolean locked;
    private double battery;
    private int turn;

    DoorLockModel(long seed) {
        random = new Random(seed);
        locked = random.nextBoolean();
        battery = 60 + random.nextInt(41);
    }

    @Override
    public String kind() {
        return "door-lock";
    }

    @Override
    public synchronized List<Reading> next(long ts) {
        if (!changed.isEmpty()) {
            List<Reading> out = List.copyOf(changed);
            changed.clear();
            return out;
        }
        battery = Math.max(0, battery - random.nextDouble() * 0.01);
        if (locked && random.nextDouble() < FORCED_CHANCE) {
            ObjectNode data = Json.object();
            data.put("at", Instant.ofEpochMilli(ts).toString());
            data.put("sensor", random.nextBoolean() ? "contact" : "vibration");
            return List.of(new Reading("doorForced", ts, data));
        }
        return List.of(
                turn++ % 2 == 0
                        ? new Reading("locked", ts, BooleanNode.valueOf(locked))
                        : new Reading("battery", ts, IntNode.valueOf((int) Math.round(battery))));
    }

    @Override
    public synchronized CompletionStage<JsonNode> execute(String action, JsonNode input) {
        switch (action) {
            case "lock", "unlock" -> {
                locked = action.equals("lock");
                changed.add(new Reading("locked", System.currentTimeMillis(), BooleanNode.valueOf(locked)));
                return CompletableFuture.completedFuture(null);
            }
            case "reboot" -> {
                return CompletableFuture.completedFuture(null);
            }
            default -> throw new UnsupportedOperationException("door lock has no action " + action);
        }
    }

    synchronized boolean locked() {
        return locked;
    }
}
