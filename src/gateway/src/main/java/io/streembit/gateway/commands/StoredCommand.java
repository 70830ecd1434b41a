package io.streembit.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One row of {@code commands} (schemas/command-row.schema.json); {@code token} is the sealed
 * record. {@code deviceKey} is the device's public key (hex), from the registry.
 */
public record StoredCommand(
        String id,
        String deviceId,
        String caller,
        String source,
        String correlationId,
        String action,
        JsonNode input,
        String payloadHash,
        String callbackUrl,
        CommandStatus status,
        long seq,
        String token,
        Instant createdAt,
        Instant expiresAt,
        Instant publishedAt,
        Instant finishedAt,
        JsonNode output,
        String error,
        Instant dispatchedAt,
        String deviceKey) {}
