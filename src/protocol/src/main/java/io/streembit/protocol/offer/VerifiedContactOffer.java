package io.streembit.protocol.offer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.td.ThingDescription;

import java.util.Optional;

/**
 * A contact offer whose signature, key binding and content have all been checked. Only
 * {@link ContactOffers#parse} constructs it, so holding one proves the offer was signed by
 * the key it introduces.
 */
public final class VerifiedContactOffer {
    private final ContactOffer offer;
    private final ThingDescription td;
    private final String token;
    private final ObjectNode payload;

    VerifiedContactOffer(ContactOffer offer, ThingDescription td, String token, ObjectNode payload) {
        this.offer = offer;
        this.td = td;
        this.token = token;
        this.payload = payload;
    }

    public ContactOffer offer() {
        return offer;
    }

    public String account() {
        return offer.account();
    }

    public PublicKey publicKey() {
        return offer.publicKey();
    }

    public UserType userType() {
        return offer.userType();
    }

    public String host() {
        return offer.host();
    }

    public int port() {
        return offer.port();
    }

    public String transport() {
        return offer.transport();
    }

    /** The offer's Thing Description, parsed and checked. */
    public Optional<ThingDescription> thingDescription() {
        return Optional.ofNullable(td);
    }

    /** The JWS compact token exactly as verified. */
    public String token() {
        return token;
    }

    /** The verified payload as signed, as JSON (a copy). */
    public ObjectNode json() {
        return payload.deepCopy();
    }

    @Override
    public String toString() {
        return "Verified" + offer;
    }
}
