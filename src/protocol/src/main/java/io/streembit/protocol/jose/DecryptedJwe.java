package io.streembit.protocol.jose;

/**
 * The plaintext of a JWE that authenticated under the recipient's key, with the author id its
 * protected header claims ({@code iss}, null when absent). The claim is only meaningful once a
 * signature binds it: see {@link Jwe#decryptFrom}.
 */
public record DecryptedJwe(byte[] plaintext, String iss) {}
