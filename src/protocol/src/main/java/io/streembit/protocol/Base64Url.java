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

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    public static byte[] decode(String text, String what) throws ProtocolException {
        int len = text.length();
        if (len % 4 == 1) {
            throw new ProtocolException(ErrorCode.BAD_ENCODING, what + " has an impossible base64url length");
        }
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                throw new ProtocolException(ErrorCode.BAD_ENCODING, what + " is not unpadded base64url");
            }
        }
        byte[] bytes = DECODER.decode(text);
        if (!ENCODER.encodeToString(bytes).equals(text)) {
            throw new ProtocolException(ErrorCode.BAD_ENCODING, what + " is not canonical base64url");
        }
        return bytes;
    }
}
