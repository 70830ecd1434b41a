package io.streembit.protocol.jose;

import io.streembit.protocol.identity.PublicKey;

/** The protected header of a Streembit JWS: always ES256K, the signer's key as kid, a type. */
public record JwsHeader(String alg, PublicKey kid, String typ) {}
