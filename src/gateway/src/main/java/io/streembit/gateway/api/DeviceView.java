package io.streembit.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.gateway.registry.Device;
import io.streembit.gateway.service.DeviceRuntime;

import java.time.Instant;
import java.util.Map;

/**
 * A device as {@code GET /api/devices[/{id}]} shows it: registration, and where its feed stands.
 * {@code lag} is the feed's head minus the cursor; {@code retrying} is the delivery failure being
 * retried right now (null when deliveries go through); {@code errors} counts recorded problems,
 * {@code lastError} is the newest (see {@code /api/devices/{id}/problems}).
 */
public record DeviceView(
        String id,
        String publicKey,
        String name,
        Map<String, String> labels,
        String status,
        String tdId,
        String tdSource,
        Instant registeredAt,
        Instant revokedAt,
        long cursor,
        long head,
        long lag,
        Instant lastSeen,
        long errors,
        String lastError,
        Instant lastErrorAt,
        String retrying,
        Instant retryingSince,
        JsonNode td) {

    static DeviceView of(Device d, DeviceRuntime runtime, JsonNode td) {
        // the head lives in memory (storing nodes report it); at least the cursor
        long head = Math.max(d.cursorSeq, runtime == null ? 0 : runtime.head());
        return new DeviceView(
                d.id,
                d.publicKey,
                d.name,
                d.labels,
                d.status.sql(),
                d.tdId,
                d.tdSource,
                d.registeredAt,
                d.revokedAt,
                d.cursorSeq,
                head,
                head - d.cursorSeq,
                d.lastSeen,
                d.errorCount,
                d.lastError,
                d.lastErrorAt,
                runtime == null ? null : runtime.retrying(),
                runtime == null ? null : runtime.retryingSince(),
                td);
    }
}
