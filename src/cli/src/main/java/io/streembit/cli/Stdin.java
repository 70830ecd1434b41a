package io.streembit.cli;

import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reading what a command processes from standard input. */
final class Stdin {
    /** Far above any token or payload this tool handles; stops a runaway pipe filling memory. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private Stdin() {}

    static byte[] readAll(Terminal terminal, String what) throws IOException, CliException {
        byte[] bytes = terminal.in().readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new CliException(what + " on standard input is larger than " + MAX_BYTES + " bytes");
        }
        return bytes;
    }

    /** A compact token (JWS or JWE): ASCII, surrounding whitespace and newlines dropped. */
    static String readToken(Terminal terminal, String what) throws IOException, CliException {
        String token = new String(readAll(terminal, what), StandardCharsets.ISO_8859_1).strip();
        if (token.isEmpty()) {
            throw new CliException("no " + what + " on standard input");
        }
        return token;
    }

    /**
     * One JSON value, checked strictly (duplicate members, trailing data refused) before any
     * passcode prompt, and returned as given less surrounding whitespace: what is signed is
     * exactly what the user wrote.
     */
    static byte[] readJson(Terminal terminal, String what) throws IOException, CliException, ProtocolException {
        byte[] bytes = readAll(terminal, what);
        int start = 0;
        int end = bytes.length;
        while (start < end && isJsonWhitespace(bytes[start])) {
            start++;
        }
        while (end > start && isJsonWhitespace(bytes[end - 1])) {
            end--;
        }
        byte[] trimmed = Arrays.copyOfRange(bytes, start, end);
        if (trimmed.length == 0) {
            throw new CliException("no " + what + " on standard input");
        }
        Json.parse(trimmed, what);
        return trimmed;
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
