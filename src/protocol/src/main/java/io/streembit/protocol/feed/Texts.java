package io.streembit.protocol.feed;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.record.StrictObject;

/** Length limits on the short strings of the payloads, counted in characters (code points) as JSON Schema counts them. */
final class Texts {
    private Texts() {}

    static String check(String text, String what, int maxChars) throws ProtocolException {
        if (text == null) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " is missing");
        }
        StrictObject.wellFormed(text, what);
        int chars = text.codePointCount(0, text.length());
        if (chars == 0 || chars > maxChars) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " must have 1 to " + maxChars + " characters");
        }
        return text;
    }
}
