package io.streembit.gateway.security;

import java.util.Map;
import java.util.Set;

/**
 * Who is calling the gateway's API, as authenticated (API key or JWT): a name for the audit
 * trail ({@code api-key:<name>}, {@code jwt:<subject>}, {@code anonymous} when authentication is
 * off), the roles, and the devices it may command. An empty allow-list ({@code devices} and
 * {@code labels} both empty) means every device; otherwise a device is allowed when its id is
 * listed or it carries one of the labels (key and value equal).
 */
public record Caller(String name, Set<String> roles, Set<String> devices, Map<String, String> labels) {
    /** May read devices, commands, problems and dead letters. */
    public static final String READ = "read";
    /** May send commands to the devices of its allow-list. */
    public static final String COMMAND = "command";
    /** May register and revoke devices and re-drive dead letters; implies the other roles. */
    public static final String ADMIN = "admin";
    /** The attribute of the Quarkus SecurityIdentity that carries the caller. */
    public static final String ATTRIBUTE = "streembit.caller";

    public Caller {
        roles = Set.copyOf(roles);
        devices = Set.copyOf(devices);
        labels = Map.copyOf(labels);
    }

    public boolean hasRole(String role) {
        return roles.contains(role) || roles.contains(ADMIN);
    }

    /** Whether this caller's allow-list admits the device with {@code id} and {@code deviceLabels}. */
    public boolean mayAccess(String id, Map<String, String> deviceLabels) {
        if (devices.isEmpty() && labels.isEmpty()) {
            return true;
        }
        if (devices.contains(id)) {
            return true;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (deviceLabels != null && label.getValue().equals(deviceLabels.get(label.getKey()))) {
                return true;
            }
        }
        return false;
    }
}
