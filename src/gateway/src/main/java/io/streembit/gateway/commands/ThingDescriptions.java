package io.streembit.gateway.commands;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.td.ThingDescription;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed Thing Descriptions of the devices commanded lately. The intake checks every command
 * against its device's TD, and parsing the stored text each time (JSON, then every schema) was a
 * sixth of the intake's CPU (bin/bench-commands). Kept per device only while the stored text is
 * the same, so a device registered again with another TD is parsed again. At most
 * {@value #CAPACITY} devices, the least recently commanded dropped first. Thread-safe; a parsed
 * TD is immutable.
 */
final class ThingDescriptions {
    static final int CAPACITY = 4096;

    private record Parsed(String text, ThingDescription td) {}

    private final Map<String, Parsed> byDevice = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The TD of {@code deviceId} whose stored text is {@code text}, parsed once. */
    ThingDescription of(String deviceId, String text) throws ProtocolException {
        synchronized (byDevice) {
            Parsed known = byDevice.get(deviceId);
            if (known != null && known.text().equals(text)) {
                return known.td();
            }
        }
        ThingDescription td = ThingDescription.parse(text);
        synchronized (byDevice) {
            byDevice.put(deviceId, new Parsed(text, td));
        }
        return td;
    }
}
