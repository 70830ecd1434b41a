package io.streembit.dht.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.wire.Messages;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.jose.VerifiedJws;

/**
 * The handshake message each side sends first, as a JWS (typ {@value #TYP}) signed with the
 * sender's static key: {@code {"v","net","pub","eph","nonce","ts","port","peer_nonce"?}}.
 * The responder's hello echoes the initiator's nonce as {@code peer_nonce}, so a recorded
 * responder hello cannot be replayed into a new handshake.
 */
public record Hello(
        int version,
        String network,
        PublicKey staticKey,
        PublicKey ephemeralKey,
        byte[] nonce,
        long timestamp,
        int port,
        byte[] peerNonce) {
    public static final String TYP = "streembit.hello";
    public static final int NONCE_BYTES = 16;

    public String sign(Identity identity, Jws jws) {
        ObjectNode payload = Json.object();
        payload.put("v", version);
        payload.put("net", network);
        payload.put("pub", staticKey.hex());
        payload.put("eph", ephemeralKey.hex());
        payload.put("nonce", Base64Url.encode(nonce));
        payload.put("ts", timestamp);
        payload.put("port", port);
        if (peerNonce != null) {
            payload.put("peer_nonce", Base64Url.encode(peerNonce));
        }
        return jws.sign(identity, TYP, payload);
    }

    /** Verifies the signature and parses; policy checks (time, network, allow-list) are the caller's. */
    public static Hello verify(String token, Jws jws) throws ProtocolException {
        VerifiedJws verified = jws.verifySelfSigned(token, TYP);
        ObjectNode p = Json.parseObject(verified.payload(), "hello");
        PublicKey pub = PublicKey.fromHex(Messages.text(p, "pub"));
        if (!pub.equals(verified.signer())) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "hello is signed by another key than it names");
        }
        byte[] nonce = Base64Url.decode(Messages.text(p, "nonce"), "hello nonce");
        if (nonce.length != NONCE_BYTES) {
            throw new ProtocolException(ErrorCode.MALFORMED, "hello nonce must be 16 bytes");
        }
        byte[] peerNonce = null;
        if (p.has("peer_nonce")) {
            peerNonce = Base64Url.decode(Messages.text(p, "peer_nonce"), "hello peer_nonce");
        }
        return new Hello(
                Messages.intValue(p, "v", 0, 65535),
                Messages.text(p, "net"),
                pub,
                PublicKey.fromHex(Messages.text(p, "eph")),
                nonce,
                Messages.longValue(p, "ts", 0, Long.MAX_VALUE),
                Messages.intValue(p, "port", 0, 65535),
                peerNonce);
    }
}
