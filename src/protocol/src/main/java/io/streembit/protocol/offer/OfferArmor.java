package io.streembit.protocol.offer;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The text wrapping of a contact offer: standard base64 (with padding) of the JWS compact
 * token, 64 columns, between BEGIN and END marker lines. Unwrapping is tolerant of what mail,
 * chat and terminals do to text (CR LF, indentation, blank lines, rewrapping, text around the
 * block) and strict about the content: the base64 must be canonical, so one token has exactly
 * one accepted base64 form.
 */
final class OfferArmor {
    static final String BEGIN = "--- BEGIN STREEMBIT CONTACT OFFER ---";
    static final String END = "--- END STREEMBIT CONTACT OFFER ---";
    static final int COLUMNS = 64;

    private OfferArmor() {}

    /** Armors a token; lines end with LF, the END line too. */
    static String armor(String token) {
        String b64 = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder(BEGIN.length() + END.length() + b64.length() * 65 / 64 + 4);
        out.append(BEGIN).append('\n');
        for (int i = 0; i < b64.length(); i += COLUMNS) {
            out.append(b64, i, Math.min(b64.length(), i + COLUMNS)).append('\n');
        }
        return out.append(END).append('\n').toString();
    }

    /**
     * The JWS token inside an armored offer. Text without a BEGIN marker is taken as a bare
     * token if, once trimmed, it consists only of base64url characters and dots.
     */
    static String unarmor(String text) throws ProtocolException {
        String[] lines = text.split("\r\n|\r|\n", -1);
        int begin = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals(BEGIN)) {
                if (begin >= 0) {
                    throw new ProtocolException(
                            ErrorCode.MALFORMED, "more than one BEGIN STREEMBIT CONTACT OFFER line");
                }
                begin = i;
            }
        }
        if (begin < 0) {
            String bare = text.strip();
            if (isTokenText(bare) && !bare.isEmpty()) {
                return bare;
            }
            throw new ProtocolException(ErrorCode.MALFORMED, "no '" + BEGIN + "' line");
        }
        StringBuilder b64 = new StringBuilder();
        int end = -1;
        for (int i = begin + 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.equals(END)) {
                end = i;
                break;
            }
            for (int j = 0; j < line.length(); j++) {
                char c = line.charAt(j);
                boolean ok = (c >= 'A' && c <= 'Z')
                        || (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9')
                        || c == '+'
                        || c == '/'
                        || c == '=';
                if (!ok) {
                    throw new ProtocolException(
                            ErrorCode.BAD_ENCODING,
                            "armored offer line " + (i - begin) + " has a character outside standard base64");
                }
            }
            b64.append(line);
        }
        if (end < 0) {
            throw new ProtocolException(ErrorCode.MALFORMED, "no '" + END + "' line");
        }
        if (b64.length() == 0) {
            throw new ProtocolException(ErrorCode.MALFORMED, "armored offer is empty");
        }
        String encoded = b64.toString();
        byte[] decoded;
        try {
            decoded = encoded.length() % 4 == 0 ? Base64.getDecoder().decode(encoded) : null;
        } catch (IllegalArgumentException e) {
            decoded = null;
        }
        if (decoded == null || !Base64.getEncoder().encodeToString(decoded).equals(encoded)) {
            throw new ProtocolException(ErrorCode.BAD_ENCODING, "armored offer is not canonical padded base64");
        }
        String token = new String(decoded, StandardCharsets.ISO_8859_1);
        if (!isTokenText(token)) {
            throw new ProtocolException(ErrorCode.MALFORMED, "armored offer does not hold a JWS compact token");
        }
        return token;
    }

    private static boolean isTokenText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
