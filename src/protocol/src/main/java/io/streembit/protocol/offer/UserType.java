package io.streembit.protocol.offer;

import java.util.Locale;

/** What kind of party a contact offer introduces. */
public enum UserType {
    DEVICE,
    HUMAN,
    GATEWAY;

    /** The wire name: {@code "device"}, {@code "human"} or {@code "gateway"}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type with this wire name, or null. */
    public static UserType fromWire(String wire) {
        for (UserType t : values()) {
            if (t.wire().equals(wire)) {
                return t;
            }
        }
        return null;
    }
}
