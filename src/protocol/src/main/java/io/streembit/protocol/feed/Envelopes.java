package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.jose.Jwe;
import io.streembit.protocol.record.VerifiedRecord;

/** The checks shared by feed entries and commands: an encrypted log record under a known salt. */
final class Envelopes {
    private Envelopes() {}

    static void requireLog(VerifiedRecord record, String salt, String what) throws ProtocolException {
        if (!record.payload().salt().equals(salt)) {
            throw new ProtocolException(ErrorCode.MALFORMED, "not a " + what + " record: salt is not '" + salt + "'");
        }
        if (!record.isLog()) {
            throw new ProtocolException(ErrorCode.MALFORMED, "a " + what + " record is a log entry (log true)");
        }
    }

    /** Decrypts the record's val, which must be a JWE whose author is the record's signer. */
    static byte[] open(Jwe jwe, VerifiedRecord record, Identity recipient, String what) throws ProtocolException {
        JsonNode val = record.payload().val();
        if (!val.isTextual()) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " value must be a JWE compact string");
        }
        return jwe.decryptFrom(val.textValue(), recipient, record.publisher()).plaintext();
    }
}
