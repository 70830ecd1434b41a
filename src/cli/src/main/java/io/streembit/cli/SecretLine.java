package io.streembit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one line holding a secret: byte by byte, so nothing past the newline is consumed (the
 * next passcode may follow), decoded as UTF-8 into a char[] the caller can wipe, with every
 * intermediate buffer wiped here.
 */
final class SecretLine {
    static final int MAX_BYTES = 4096;

    private SecretLine() {}

    /** The line without its line ending; null at end of input before any byte. */
    static char[] read(InputStream in) throws IOException {
        byte[] buffer = new byte[128];
        int length = 0;
        try {
            int b;
            boolean any = false;
            while ((b = in.read()) != -1) {
                any = true;
                if (b == '\n') {
                    break;
                }
                if (length == buffer.length) {
                    if (length >= MAX_BYTES) {
                        throw new IOException("the line is longer than " + MAX_BYTES + " bytes");
                    }
                    byte[] larger = Arrays.copyOf(buffer, length * 2);
                    Arrays.fill(buffer, (byte) 0);
                    buffer = larger;
                }
                buffer[length++] = (byte) b;
            }
            if (!any) {
                return null;
            }
            if (length > 0 && buffer[length - 1] == '\r') {
                length--;
            }
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer, 0, length));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            if (chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
            return out;
        } catch (CharacterCodingException e) {
            throw new IOException("the line is not UTF-8 text");
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }
}
