package io.streembit.protocol;

/** Lowercase hex, the only hex form on the wire; anything else is refused. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Decodes lowercase hex of exactly {@code expectedBytes} bytes ({@code -1}: any length). */
    public static byte[] decode(String hex, int expectedBytes, String what) throws ProtocolException {
        if (hex == null) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " is missing");
        }
        if (expectedBytes >= 0 && hex.length() != expectedBytes * 2) {
            throw new ProtocolException(
                    ErrorCode.MALFORMED,
                    what + " must be " + expectedBytes * 2 + " hex characters, got " + hex.length());
        }
        if ((hex.length() & 1) != 0) {
            throw new ProtocolException(ErrorCode.BAD_ENCODING, what + " has an odd number of hex characters");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((digit(hex.charAt(2 * i), what) << 4) | digit(hex.charAt(2 * i + 1), what));
        }
        return out;
    }

    private static int digit(char c, String what) throws ProtocolException {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        throw new ProtocolException(ErrorCode.BAD_ENCODING, what + " is not lowercase hex");
    }
}
