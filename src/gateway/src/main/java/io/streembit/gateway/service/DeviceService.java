package io.streembit.gateway.service;

import io.streembit.gateway.registry.Device;
import io.streembit.gateway.registry.DeviceRegistry;
import io.streembit.gateway.registry.RegistrationException;
import io.streembit.gateway.registry.RegistrationRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * Registering and revoking a device, each as one use case: the registry row and the feed's
 * follower change together, so no caller can do one and forget the other.
 */
@ApplicationScoped
public class DeviceService {
    private final DeviceRegistry registry;
    private final Followers followers;

    DeviceService(DeviceRegistry registry, Followers followers) {
        this.registry = registry;
        this.followers = followers;
    }

    /** Checks the offer and TD, stores the device (active), and follows its feed from its cursor. */
    public Device register(RegistrationRequest request) throws RegistrationException {
        DeviceRegistry.Checked checked = registry.check(request);
        Map<String, String> labels = request.labels();
        Device device = registry.register(checked, request.name(), labels);
        followers.start(device);
        return device;
    }

    /** Marks the device revoked and stops following it; its data and commands are refused from now on. */
    public Device revoke(String deviceId) throws RegistrationException {
        Device device = registry.revoke(deviceId);
        followers.revoke(deviceId);
        return device;
    }
}
