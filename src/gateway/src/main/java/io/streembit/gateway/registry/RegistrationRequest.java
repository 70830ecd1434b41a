package io.streembit.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * {@code POST /api/devices}: the device's armored contact offer, and optionally a name, labels
 * and its Thing Description (taken from the offer, or else fetched from the DHT, when absent).
 */
public record RegistrationRequest(String offer, String name, Map<String, String> labels, JsonNode td) {}
