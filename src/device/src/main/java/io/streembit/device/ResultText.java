package io.streembit.device;

import io.streembit.protocol.feed.CommandResult;

/**
 * Makes any message a valid command result {@code error}: well-formed Unicode (a lone surrogate
 * from a handler's message becomes U+FFFD), 1 to {@link CommandResult#MAX_ERROR_CHARS} code points.
 */
final class ResultText {
    private ResultText() {}

    static String of(String message) {
        if (message == null || message.isEmpty()) {
            return "(no message)";
        }
        StringBuilder out = new StringBuilder(Math.min(message.length(), CommandResult.MAX_ERROR_CHARS * 2));
        int chars = 0;
        for (int i = 0; i < message.length() && chars < CommandResult.MAX_ERROR_CHARS; i++, chars++) {
            char c = message.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < message.length()
                    && Character.isLowSurrogate(message.charAt(i + 1))) {
                out.append(c).append(message.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\ufffd');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
