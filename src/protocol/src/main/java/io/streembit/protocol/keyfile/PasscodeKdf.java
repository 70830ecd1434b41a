package io.streembit.protocol.keyfile;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Argon2id (version 0x13, no secret, no associated data) from passcode to a 256-bit key. */
final class PasscodeKdf {
    static final int KEY_BYTES = 32;

    private PasscodeKdf() {}

    /**
     * The passcode enters as its UTF-8 bytes, without Unicode normalisation. We encode it
     * ourselves rather than pass the char[] to Bouncy Castle so that the byte copy can be wiped.
     */
    static byte[] derive(char[] passcode, byte[] salt, KdfParams params) throws ProtocolException {
        byte[] password = utf8(passcode);
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withSalt(salt)
                    .withMemoryAsKB(params.memoryKib())
                    .withIterations(params.iterations())
                    .withParallelism(params.parallelism())
                    .build());
            byte[] key = new byte[KEY_BYTES];
            generator.generateBytes(password, key);
            return key;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static byte[] utf8(char[] passcode) throws ProtocolException {
        CharsetEncoder encoder = StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = null;
        try {
            buffer = encoder.encode(CharBuffer.wrap(passcode));
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.WEAK_PASSCODE, "the passcode is not valid Unicode text");
        } finally {
            if (buffer != null && buffer.hasArray()) {
                Arrays.fill(buffer.array(), (byte) 0);
            }
        }
    }
}
