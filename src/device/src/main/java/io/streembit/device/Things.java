package io.streembit.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.td.ThingDescription;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The example Thing Descriptions shipped in this jar ({@code things/<kind>.td.json}, identical
 * copies of the repository's {@code schemas/things/}): the kinds of device the simulator runs.
 */
public final class Things {
    /** The simulated kinds, in the order {@code mixed} cycles through them. */
    public static final List<String> KINDS = List.of("thermostat", "door-lock", "energy-meter");

    private Things() {}

    /** The example TD of {@code kind}. */
    public static ThingDescription load(String kind) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown device kind '" + kind + "'; known: " + KINDS);
        }
        try (InputStream in = Things.class.getResourceAsStream("/things/" + kind + ".td.json")) {
            if (in == null) {
                throw new IllegalStateException("things/" + kind + ".td.json missing from the jar");
            }
            return ThingDescription.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProtocolException e) {
            throw new IllegalStateException("bundled TD " + kind + " is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * The TD of {@code kind} for one device: the example's {@code id} names one sample thing, so
     * each simulated device gets its own, {@code urn:streembit:device:<account>}.
     */
    public static ThingDescription forDevice(String kind, String account) {
        ObjectNode json = load(kind).json();
        json.put("id", "urn:streembit:device:" + account);
        try {
            return ThingDescription.parse(json);
        } catch (ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }
}
