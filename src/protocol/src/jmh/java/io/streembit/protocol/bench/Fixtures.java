package io.streembit.protocol.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.Hashes;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.crypto.Secp256k1Backends;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PrivateKey;

import java.nio.charset.StandardCharsets;

/**
 * Fixed keys and payloads shared by the benchmarks, so every run (and every backend) measures
 * the same bytes. The payload shapes follow PROTOCOL.md: a record-sized JWS payload and a
 * 1 KiB feed batch of readings.
 */
final class Fixtures {
    /** Benchmark-local JWS type: the cost does not depend on its value. */
    static final String TYP = "bench";
    static final int RECORD_BYTES = 256;
    static final int BATCH_BYTES = 1024;

    private static final long IAT = 1_764_000_000L;

    private Fixtures() {
    }

    /**
     * The backend a benchmark's {@code backend} parameter names. A backend that cannot load
     * fails the benchmark instead of quietly measuring another one.
     */
    static Secp256k1 backend(String name) {
        switch (name) {
            case "bouncycastle":
                return Secp256k1Backends.bouncyCastle();
            case "native":
                Secp256k1 nativeBackend = Secp256k1Backends.nativeOrNull();
                if (nativeBackend == null) {
                    throw new IllegalStateException(
                            "native libsecp256k1 does not load on this machine; run with -p backend=bouncycastle");
                }
                return nativeBackend;
            default:
                throw new IllegalArgumentException("unknown backend '" + name + "'");
        }
    }

    /** A fixed identity: the private scalar is SHA-256 of the label. */
    static Identity identity(String label) {
        try {
            return Identity.of(PrivateKey.fromBytes(Hashes.sha256(label.getBytes(StandardCharsets.US_ASCII))));
        } catch (ProtocolException e) {
            throw new IllegalStateException("a SHA-256 digest is a valid secp256k1 scalar here", e);
        }
    }

    /** A record payload (PROTOCOL.md "Records") of exactly {@link #RECORD_BYTES} bytes. */
    static byte[] recordPayload(Identity publisher) {
        ObjectNode record = Json.object();
        record.put("pub", publisher.publicKey().hex());
        record.put("salt", "td");
        record.put("seq", 42);
        record.put("iat", IAT);
        record.put("exp", IAT + 86_400);
        record.put("log", false);
        record.put("val", "");
        return padTo(record, "val", RECORD_BYTES);
    }

    /** A feed batch (PROTOCOL.md "Device data") of exactly {@link #BATCH_BYTES} bytes. */
    static byte[] batchPayload() {
        ObjectNode batch = Json.object();
        batch.put("n", 1042);
        batch.put("prev", Base64Url.encode(Hashes.sha256("entry 1041".getBytes(StandardCharsets.US_ASCII))));
        ArrayNode readings = batch.putArray("readings");
        String[] names = {"temperature", "humidity", "pressure", "co2"};
        for (int i = 0; i < 12; i++) {
            ObjectNode reading = readings.addObject();
            reading.put("name", names[i % names.length]);
            reading.put("ts", IAT * 1000 + i * 5_000L);
            reading.put("value", 20.0 + i * 0.25);
        }
        ObjectNode status = readings.addObject();
        status.put("name", "status");
        status.put("ts", IAT * 1000 + 60_000L);
        status.put("value", "");
        return padTo(batch, status, "value", BATCH_BYTES);
    }

    private static byte[] padTo(ObjectNode root, String field, int size) {
        return padTo(root, root, field, size);
    }

    /** Fills a string member of {@code holder} with ASCII so that {@code root} serialises to {@code size} bytes. */
    private static byte[] padTo(ObjectNode root, ObjectNode holder, String field, int size) {
        int missing = size - Json.bytes(root).length;
        if (missing < 0) {
            throw new IllegalStateException("fixture is already " + -missing + " bytes over " + size);
        }
        holder.put(field, "x".repeat(missing));
        byte[] bytes = Json.bytes(root);
        if (bytes.length != size) {
            throw new IllegalStateException("fixture is " + bytes.length + " bytes, wanted " + size);
        }
        return bytes;
    }
}
