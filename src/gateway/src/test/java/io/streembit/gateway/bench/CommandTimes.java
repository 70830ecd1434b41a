package io.streembit.gateway.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the harness saw of each command, by command id, in epoch microseconds ({@link WallClock}:
 * the clock the gateway's timestamps come from, same machine): the portal side (POST sent, its
 * answer, the callback) and the simulated device's side (command record in hand, result sealed,
 * result stored). Each side stamps the id when it learns it; the device may hold a command
 * before the POST's answer has reached the portal side. 0 = not seen.
 */
final class CommandTimes {
    /** One command's stamps; written once each, by whichever thread saw that step. */
    static final class Stamps {
        volatile int device = -1;
        volatile long sent;
        volatile long answered;
        volatile long received;
        volatile long sealed;
        volatile long stored;
        volatile long callback;
        volatile String callbackStatus;
    }

    private final Map<String, Stamps> byId = new ConcurrentHashMap<>();

    Stamps of(String id) {
        return byId.computeIfAbsent(id, k -> new Stamps());
    }

    /** The stamps of {@code id}, or null when the harness never heard of it. */
    Stamps get(String id) {
        return byId.get(id);
    }
}
