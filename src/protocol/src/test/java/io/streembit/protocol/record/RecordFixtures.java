package io.streembit.protocol.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Fixed identities and a fixed clock for record tests. */
public final class RecordFixtures {
    /** 2025-11-24T16:00:00Z: tests never read the system clock. */
    public static final long NOW = 1_764_000_000L;

    public static final Instant NOW_INSTANT = Instant.ofEpochSecond(NOW);
    public static final Identity ALICE =
            TestVectors.identity("1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a");
    public static final Identity BOB =
            TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000aa");
    public static final Identity CAROL =
            TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000bb");

    private RecordFixtures() {}

    public static JsonNode json(String text) {
        try {
            return Json.parse(text.getBytes(StandardCharsets.UTF_8), "test JSON");
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A valid slot record by ALICE under salt "td", an hour to live. */
    public static String slot(long seq, String val) {
        return Records.sign(ALICE, "td", seq, NOW, NOW + 3600, false, json(val));
    }

    /** A valid log record by ALICE under salt "feed", an hour to live. */
    public static String logEntry(long seq, String val) {
        return Records.sign(ALICE, "feed", seq, NOW, NOW + 3600, true, json(val));
    }

    public static VerifiedRecord verify(NodeId key, String token) throws ProtocolException {
        return new RecordValidator(RecordLimits.DEFAULTS).validate(key, token, NOW_INSTANT);
    }
}
