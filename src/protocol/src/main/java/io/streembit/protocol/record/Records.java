package io.streembit.protocol.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.jose.Jws;

/**
 * Publishes records: a record is a JWS of type {@value #TYP} over a {@link RecordPayload},
 * signed by the key the payload names as {@code pub}.
 */
public final class Records {
    /** The JWS {@code typ} of every record. */
    public static final String TYP = "streembit.record";

    private Records() {}

    /** Signs a record as {@code publisher} (whose key becomes {@code pub}) with the standard JWS backend. */
    public static String sign(
            Identity publisher, String salt, long seq, long iat, long exp, boolean log, JsonNode val) {
        return sign(publisher, new RecordPayload(publisher.publicKey(), salt, seq, iat, exp, log, val));
    }

    public static String sign(Identity publisher, RecordPayload payload) {
        return sign(Jws.standard(), publisher, payload);
    }

    /**
     * Signs {@code payload}, which must name {@code publisher} as {@code pub}: a record signed by
     * anyone else is refused by every storing node, so it is a bug to make one.
     */
    public static String sign(Jws jws, Identity publisher, RecordPayload payload) {
        if (!payload.pub().equals(publisher.publicKey())) {
            throw new IllegalArgumentException("a record's pub must be its signer's key");
        }
        return jws.sign(publisher, TYP, payload.toBytes());
    }
}
