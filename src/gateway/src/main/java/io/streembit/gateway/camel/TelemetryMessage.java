package io.streembit.gateway.camel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Reading;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON a verified batch leaves the gateway as (Kafka record value, portal POST body), one
 * document per batch: schemas/telemetry-batch.schema.json.
 */
public final class TelemetryMessage {
    private TelemetryMessage() {}

    public static String body(VerifiedBatch batch) {
        ObjectNode json = Json.object();
        json.put("device", batch.deviceId());
        json.put("publicKey", batch.publicKey().hex());
        json.put("seq", batch.seq());
        json.put("tdId", batch.tdId());
        json.put(
                "publishedAt", Instant.ofEpochSecond(batch.publishedAtSeconds()).toString());
        json.put("receivedAt", batch.receivedAt().toString());
        ArrayNode readings = json.putArray("readings");
        List<Reading> list = batch.readings();
        for (int i = 0; i < list.size(); i++) {
            Reading r = list.get(i);
            ObjectNode reading = readings.addObject();
            reading.put("index", i);
            reading.put("name", r.name());
            reading.put("ts", r.ts());
            reading.set("value", r.value());
        }
        return Json.text(json);
    }

    public static Map<String, Object> headers(VerifiedBatch batch) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(TelemetryHeaders.DEVICE, batch.deviceId());
        headers.put(TelemetryHeaders.ACCOUNT, batch.deviceId());
        headers.put(TelemetryHeaders.SEQ, Long.toString(batch.seq()));
        headers.put(
                TelemetryHeaders.RECEIVED_AT, Long.toString(batch.receivedAt().toEpochMilli()));
        headers.put(TelemetryHeaders.TD, batch.tdId());
        headers.put(TelemetryHeaders.READINGS, Integer.toString(batch.readings().size()));
        headers.put("Content-Type", "application/json");
        return headers;
    }
}
