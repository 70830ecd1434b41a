package io.streembit.protocol;

import java.util.Base64;

/**
 * Base64url without padding (RFC 7515 section 2). Decoding is strict: padding, characters
 * outside the alphabet, an impossible length and non-zero unused trailing bits are refused,
 * so every byte string has exactly one accepted text form and a token cannot be altered
 * without changing what was signed.
 */
public final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {}

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    public static byte[] decode(String text, String what) throws ProtocolException {
        int len = text.length();
        if (len % 4 == 1) {
            throw new ProtocolException(ErrorCode.BAD_ENCODING, what + " has an impossible base64url length");
        }
        int last = 0;
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                throw new ProtocolException(ErrorCode.BAD_ENCODING, what + " is not unpadded base64url");
            }
            last = v;
        }
        // Canonical form: the bits of the last character that carry no data must be zero
        // (4 of them after 2 characters of a group, 2 after 3), else two texts decode alike.
        int unused = switch (len % 4) {
            case 2 -> 0x0f;
            case 3 -> 0x03;
            default -> 0;
        };
        if ((last & unused) != 0) {
            throw new ProtocolException(ErrorCode.BAD_ENCODING, what + " is not canonical base64url");
        }
        return DECODER.decode(text);
    }

    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }
}
