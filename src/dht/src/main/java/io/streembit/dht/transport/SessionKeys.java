package io.streembit.dht.transport;

import io.streembit.protocol.crypto.Hkdf;
import io.streembit.protocol.crypto.Secp256k1Backends;
import io.streembit.protocol.identity.PrivateKey;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Session key schedule: HKDF-SHA256 over the ephemeral ECDH secret (x coordinate), salted with
 * initiator nonce || responder nonce, info = "streembit/1 session" || initiator static key ||
 * responder static key || initiator ephemeral key || responder ephemeral key (33 bytes each).
 * 64 bytes out: the first 32 key initiator-to-responder frames, the next 32 the other way.
 */
public final class SessionKeys {
    static final byte[] LABEL = "streembit/1 session".getBytes(StandardCharsets.US_ASCII);

    private SessionKeys() {}

    public static SecureChannel derive(PrivateKey myEphemeral, Hello initiator, Hello responder, boolean iAmInitiator) {
        Hello peer = iAmInitiator ? responder : initiator;
        byte[] secret = myEphemeral.exportSecret();
        byte[] z =
                Secp256k1Backends.get().sharedSecret(secret, peer.ephemeralKey().sec1());
        Arrays.fill(secret, (byte) 0);
        byte[] salt = concat(initiator.nonce(), responder.nonce());
        byte[] info = concat(
                LABEL,
                initiator.staticKey().compressed(),
                responder.staticKey().compressed(),
                initiator.ephemeralKey().compressed(),
                responder.ephemeralKey().compressed());
        byte[] okm = Hkdf.derive(z, salt, info, 64);
        Arrays.fill(z, (byte) 0);
        byte[] i2r = Arrays.copyOfRange(okm, 0, 32);
        byte[] r2i = Arrays.copyOfRange(okm, 32, 64);
        Arrays.fill(okm, (byte) 0);
        return iAmInitiator ? new SecureChannel(i2r, r2i) : new SecureChannel(r2i, i2r);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
