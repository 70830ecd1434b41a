package io.streembit.protocol.offer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.jose.VerifiedJws;
import io.streembit.protocol.td.ThingDescription;

import java.util.Iterator;
import java.util.Set;

/**
 * Creates and reads contact offers: the signed introduction a device, person or gateway hands
 * over out of band (QR code, e-mail, provisioning tool) so that another party can add it as a
 * contact. An offer is a JWS of type {@value #TYP}, signed by the key it introduces, armored as
 * text (docs/protocol.md section 7).
 */
public final class ContactOffers {
    /** The JWS {@code typ} of a contact offer. */
    public static final String TYP = "streembit.offer";
    /** Longer input is refused before any parsing: an offer with a full TD fits well within it. */
    public static final int MAX_TEXT_CHARS = 64 * 1024;

    private static final Set<String> MEMBERS =
            Set.of("account", "public_key", "user_type", "host", "port", "transport", "td");

    private ContactOffers() {}

    /** Signs and armors an offer for {@code identity}; {@code td} may be null. */
    public static String create(
            Identity identity, UserType userType, String host, int port, String transport, ThingDescription td) {
        return create(identity, userType, host, port, transport, td, Jws.standard());
    }

    /** As above, signing with the given JWS engine (tests compare backends). */
    public static String create(
            Identity identity,
            UserType userType,
            String host,
            int port,
            String transport,
            ThingDescription td,
            Jws jws) {
        ContactOffer offer = new ContactOffer(
                identity.account(),
                identity.publicKey(),
                userType,
                host,
                port,
                transport,
                td == null ? null : td.json());
        return OfferArmor.armor(jws.sign(identity, TYP, offer.toJson()));
    }

    /**
     * Reads an armored offer (or a bare JWS compact token) and checks everything: encoding,
     * signature by the key named in the header, that key being the offer's public_key, the
     * account being its SHA-1, and every member.
     */
    public static VerifiedContactOffer parse(String text) throws ProtocolException {
        return parse(text, Jws.standard());
    }

    /** As above, verifying with the given JWS engine. */
    public static VerifiedContactOffer parse(String text, Jws jws) throws ProtocolException {
        if (text == null) {
            throw new ProtocolException(ErrorCode.MALFORMED, "contact offer is missing");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new ProtocolException(
                    ErrorCode.TOO_LARGE, "contact offer text is longer than " + MAX_TEXT_CHARS + " characters");
        }
        String token = OfferArmor.unarmor(text);
        VerifiedJws verified = jws.verifySelfSigned(token, TYP);
        ObjectNode payload = Json.parseObject(verified.payload(), "contact offer");
        for (Iterator<String> it = payload.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                // Shown printable and short: the name comes from whoever made the offer.
                String shown = name.length() > 32 ? name.substring(0, 32) + "..." : name;
                throw malformed("unexpected member '" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'");
            }
        }
        PublicKey publicKey = PublicKey.fromHex(text(payload, "public_key"));
        if (!publicKey.equals(verified.signer())) {
            throw new ProtocolException(
                    ErrorCode.KID_MISMATCH,
                    "offer is signed by " + verified.signer().nodeId() + " but introduces " + publicKey.nodeId());
        }
        String account = text(payload, "account");
        Hex.decode(account, 20, "account");
        if (!account.equals(publicKey.nodeId().hex())) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "account " + account + " is not the SHA-1 of public_key");
        }
        String userTypeText = text(payload, "user_type");
        UserType userType = UserType.fromWire(userTypeText);
        if (userType == null) {
            throw malformed("user_type must be \"device\", \"human\" or \"gateway\"");
        }
        String host = text(payload, "host");
        check(ContactOffer.hostProblem(host));
        JsonNode port = required(payload, "port");
        if (!port.isIntegralNumber() || !port.canConvertToLong()) {
            throw malformed(ContactOffer.portProblem(0));
        }
        check(ContactOffer.portProblem(port.longValue()));
        String transport = text(payload, "transport");
        check(ContactOffer.transportProblem(transport));
        JsonNode tdJson = payload.get("td");
        ThingDescription td = tdJson == null ? null : ThingDescription.parse(tdJson);
        ContactOffer offer =
                new ContactOffer(account, publicKey, userType, host, (int) port.longValue(), transport, tdJson);
        return new VerifiedContactOffer(offer, td, token, payload);
    }

    private static JsonNode required(ObjectNode payload, String member) throws ProtocolException {
        JsonNode v = payload.get(member);
        if (v == null) {
            throw malformed("missing member '" + member + "'");
        }
        return v;
    }

    private static String text(ObjectNode payload, String member) throws ProtocolException {
        JsonNode v = required(payload, member);
        if (!v.isTextual()) {
            throw malformed("'" + member + "' must be a string");
        }
        return v.textValue();
    }

    private static void check(String problem) throws ProtocolException {
        if (problem != null) {
            throw malformed(problem);
        }
    }

    private static ProtocolException malformed(String problem) {
        return new ProtocolException(ErrorCode.MALFORMED, "contact offer: " + problem);
    }
}
