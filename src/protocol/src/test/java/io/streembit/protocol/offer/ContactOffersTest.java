package io.streembit.protocol.offer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import io.streembit.protocol.Backends;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.td.ThingDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContactOffersTest {
    /** The byte-exact vector, also printed in docs/protocol.md section 7. */
    static final String VECTOR = """
            --- BEGIN STREEMBIT CONTACT OFFER ---
            ZXlKaGJHY2lPaUpGVXpJMU5rc2lMQ0pyYVdRaU9pSXdNall3TlRFek5tWmlNbVZq
            TXpsbU5HRXdNekpqWmpCbE56VTVZemhtTm1Fd1ptRTRPR1kwTmpOaFpUWTRNVEky
            WXpsa05tUTJNbVkxWm1Rd056TTNZemdpTENKMGVYQWlPaUp6ZEhKbFpXMWlhWFF1
            YjJabVpYSWlmUS5leUpoWTJOdmRXNTBJam9pTUdOaU5XWTNZekJpTkdGaVpXWXdZ
            emMyWXpVM01UazVPV0UyWldNeU9ESXlOekkyTkdaa1l5SXNJbkIxWW14cFkxOXJa
            WGtpT2lJd01qWXdOVEV6Tm1aaU1tVmpNemxtTkdFd016SmpaakJsTnpVNVl6aG1O
            bUV3Wm1FNE9HWTBOak5oWlRZNE1USTJZemxrTm1RMk1tWTFabVF3TnpNM1l6Z2lM
            Q0oxYzJWeVgzUjVjR1VpT2lKa1pYWnBZMlVpTENKb2IzTjBJam9pTVRreUxqQXVN
            aTR4TUNJc0luQnZjblFpT2pNeU16SXdMQ0owY21GdWMzQnZjblFpT2lKMFkzQWlM
            Q0owWkNJNmV5SkFZMjl1ZEdWNGRDSTZJbWgwZEhCek9pOHZkM2QzTG5jekxtOXla
            eTh5TURJeUwzZHZkQzkwWkM5Mk1TNHhJaXdpYVdRaU9pSjFjbTQ2WlhoaGJYQnNa
            VHB6ZEhKbFpXMWlhWFE2YkdGdGNDMHdNU0lzSW5ScGRHeGxJam9pVEdGdGNDSXNJ
            bkJ5YjNCbGNuUnBaWE1pT25zaWIyNGlPbnNpZEhsd1pTSTZJbUp2YjJ4bFlXNGlM
            Q0p5WldGa1QyNXNlU0k2ZEhKMVpYMTlMQ0poWTNScGIyNXpJanA3SW5SdloyZHNa
            U0k2ZTMxOWZYMC4xR1VsM3JIdU5DWm5EaVJvSDMxM0xST0M1YzVtMGVFV3dKbUph
            S1FBbGY0Q0lIVkxpQmhEazAwM1htQTQ4cC0zcjdKWHItMExkLVhCcVVkblJnRXdh
            UQ==
            --- END STREEMBIT CONTACT OFFER ---
            """;

    static final String VECTOR_PAYLOAD = "{\"account\":\"0cb5f7c0b4abef0c76c571999a6ec28227264fdc\","
            + "\"public_key\":\"02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8\","
            + "\"user_type\":\"device\",\"host\":\"192.0.2.10\",\"port\":32320,\"transport\":\"tcp\",\"td\":"
            + OfferVector.TD + "}";

    // Fixed keys keep every run identical; the vector key stays the vector's.
    private static final Identity ALICE =
            TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000aa");
    private static final Identity BOB =
            TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000bb");

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    static ThingDescription thermostat() throws ProtocolException {
        return ThingDescription.parse(JsonSchemas.thing("thermostat.td.json"));
    }

    /** The token inside an armored offer, decoded with the JDK's MIME decoder (not our code). */
    static String tokenOf(String armored) {
        String body = armored.substring(armored.indexOf("---\n") + 4, armored.indexOf("--- END"));
        return new String(Base64.getMimeDecoder().decode(body), StandardCharsets.US_ASCII);
    }

    static JsonNode payloadOf(String armored) throws Exception {
        String token = tokenOf(armored);
        return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    static void assertRefused(String text, ErrorCode code) {
        assertThatThrownBy(() -> ContactOffers.parse(text))
                .isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).code())
                        .as(e.getMessage())
                        .isEqualTo(code));
    }

    /** Signs an arbitrary payload as {@code signer} and armors it, as a forger would. */
    static String forge(Identity signer, String typ, ObjectNode payload) {
        return OfferArmor.armor(Jws.standard().sign(signer, typ, payload));
    }

    static ObjectNode payload(Identity who) {
        return new ContactOffer(who.account(), who.publicKey(), UserType.DEVICE, "10.0.0.7", 32320, "tcp", null)
                .toJson();
    }

    @Test
    void byteExactVector() throws Exception {
        String armored = ContactOffers.create(
                OfferVector.identity(),
                UserType.DEVICE,
                OfferVector.HOST,
                OfferVector.PORT,
                OfferVector.TRANSPORT,
                OfferVector.td());
        assertThat(armored).isEqualTo(VECTOR);
        // Independent checks: the JDK decodes the armor, nimbus-jose-jwt verifies the ES256K token.
        String token = tokenOf(VECTOR);
        JWSObject jws = JWSObject.parse(token);
        byte[] uncompressed = OfferVector.identity().publicKey().uncompressed();
        ECKey key = new ECKey.Builder(
                        Curve.SECP256K1,
                        Base64URL.encode(Arrays.copyOfRange(uncompressed, 1, 33)),
                        Base64URL.encode(Arrays.copyOfRange(uncompressed, 33, 65)))
                .build();
        ECDSAVerifier verifier = new ECDSAVerifier(key);
        verifier.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
        assertThat(jws.verify(verifier)).isTrue();
        assertThat(jws.getHeader().toJSONObject())
                .containsEntry("typ", "streembit.offer")
                .containsEntry("kid", OfferVector.identity().publicKey().hex())
                .containsEntry("alg", "ES256K");
        assertThat(jws.getPayload().toString()).isEqualTo(VECTOR_PAYLOAD);

        VerifiedContactOffer offer = ContactOffers.parse(VECTOR);
        assertThat(offer.account()).isEqualTo("0cb5f7c0b4abef0c76c571999a6ec28227264fdc");
        assertThat(offer.thingDescription().orElseThrow().title()).isEqualTo("Lamp");
        assertThat(offer.token()).isEqualTo(token);
    }

    @Test
    void theSpecificationPrintsTheVector() throws Exception {
        String spec = java.nio.file.Files.readString(java.nio.file.Path.of("../../docs/protocol.md"));
        assertThat(spec)
                .contains("```\n" + VECTOR + "```")
                .contains(VECTOR_PAYLOAD)
                .contains(OfferVector.PRIVATE_HEX);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theVectorIsTheSameOnEveryBackend(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        assertThat(ContactOffers.create(
                        OfferVector.identity(),
                        UserType.DEVICE,
                        OfferVector.HOST,
                        OfferVector.PORT,
                        OfferVector.TRANSPORT,
                        OfferVector.td(),
                        jws))
                .isEqualTo(VECTOR);
        assertThat(ContactOffers.parse(VECTOR, jws).port()).isEqualTo(32320);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void roundTripWithAThingDescription(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        ThingDescription td = thermostat();
        String armored = ContactOffers.create(ALICE, UserType.DEVICE, "thermostat.local", 32320, "tcp", td, jws);
        VerifiedContactOffer offer = ContactOffers.parse(armored, jws);
        assertThat(offer.account()).isEqualTo(ALICE.account());
        assertThat(offer.publicKey()).isEqualTo(ALICE.publicKey());
        assertThat(offer.userType()).isEqualTo(UserType.DEVICE);
        assertThat(offer.host()).isEqualTo("thermostat.local");
        assertThat(offer.port()).isEqualTo(32320);
        assertThat(offer.transport()).isEqualTo("tcp");
        assertThat(offer.thingDescription()).contains(td);
        assertThat(offer.offer().td()).isEqualTo(td.json());
        assertThat(offer.token()).isEqualTo(tokenOf(armored));
        assertThat(offer.json()).isEqualTo(payloadOf(armored));
    }

    @ParameterizedTest
    @EnumSource(UserType.class)
    void roundTripForEveryUserType(UserType type) throws Exception {
        String armored = ContactOffers.create(BOB, type, "2001:db8::7", 443, "tcp", null);
        VerifiedContactOffer offer = ContactOffers.parse(armored);
        assertThat(offer.userType()).isEqualTo(type);
        assertThat(offer.thingDescription()).isEmpty();
        assertThat(offer.offer().td()).isNull();
        assertThat(payloadOf(armored).get("user_type").asText()).isEqualTo(type.wire());
        assertThat(payloadOf(armored).has("td")).isFalse();
    }

    @Test
    void theArmorIsSixtyFourColumnsOfPaddedBase64() throws Exception {
        String armored = ContactOffers.create(ALICE, UserType.GATEWAY, "gw.example.com", 32320, "tcp", thermostat());
        assertThat(armored).endsWith("\n--- END STREEMBIT CONTACT OFFER ---\n");
        String[] lines = armored.split("\n");
        assertThat(lines[0]).isEqualTo("--- BEGIN STREEMBIT CONTACT OFFER ---");
        for (int i = 1; i < lines.length - 2; i++) {
            assertThat(lines[i]).hasSize(64).matches("[A-Za-z0-9+/]+");
        }
        assertThat(lines[lines.length - 2].length()).isBetween(1, 64);
        assertThat(lines[lines.length - 2].length() % 4).isZero();
    }

    @Test
    void payloadsMatchTheJsonSchema() throws Exception {
        for (UserType type : UserType.values()) {
            for (ThingDescription td : new ThingDescription[] {null, thermostat(), OfferVector.td()}) {
                String armored = ContactOffers.create(ALICE, type, "198.51.100.4", 1, "tcp", td);
                assertThat(JsonSchemas.errors("contact-offer.schema.json", Json.text(payloadOf(armored))))
                        .isEmpty();
            }
        }
        // The schema refuses what the parser refuses.
        ObjectNode extra = payload(ALICE);
        extra.put("nickname", "alice");
        assertThat(JsonSchemas.errors("contact-offer.schema.json", Json.text(extra)))
                .isNotEmpty();
        ObjectNode badTd = payload(ALICE);
        badTd.putObject("td").put("title", "no context, no id");
        assertThat(JsonSchemas.errors("contact-offer.schema.json", Json.text(badTd)))
                .isNotEmpty();
        ObjectNode badPort = payload(ALICE);
        badPort.put("port", 65536);
        assertThat(JsonSchemas.errors("contact-offer.schema.json", Json.text(badPort)))
                .isNotEmpty();
    }

    @Test
    void toleratesWhatMailChatAndTerminalsDoToText() throws Exception {
        String armored = ContactOffers.create(ALICE, UserType.DEVICE, "10.0.0.7", 32320, "tcp", thermostat());
        VerifiedContactOffer original = ContactOffers.parse(armored);
        String body = Base64.getEncoder().encodeToString(tokenOf(armored).getBytes(StandardCharsets.US_ASCII));
        List<UnaryOperator<String>> variants = List.of(
                t -> t.replace("\n", "\r\n"),
                t -> t.replace("\n", "\r"),
                t -> "    " + t.replace("\n", "\n    "),
                t -> t.replace("\n", "  \t\n"),
                t -> "\n\n\n" + t + "\n\n",
                t -> "Hi, here is the thermostat's offer:\n\n" + t + "\nRegards,\nOps\n",
                t -> "> " + OfferArmor.BEGIN + "\n" + body + "\n" + OfferArmor.END,
                t -> OfferArmor.BEGIN + "\n" + body + "\n" + OfferArmor.END,
                t -> OfferArmor.BEGIN + "\n" + wrap(body, 76) + OfferArmor.END,
                t -> OfferArmor.BEGIN + "\n" + wrap(body, 7) + OfferArmor.END,
                t -> OfferArmor.BEGIN + "\n\n" + wrap(body, 64).replace("\n", "\n\n") + OfferArmor.END,
                t -> t.strip(),
                t -> tokenOf(t),
                t -> "\n  " + tokenOf(t) + "  \r\n");
        for (int i = 0; i < variants.size(); i++) {
            String text = variants.get(i).apply(armored);
            if (i == 6) {
                // A quote marker before BEGIN is not the marker line: refused, never misread.
                assertRefused(text, ErrorCode.MALFORMED);
                continue;
            }
            VerifiedContactOffer parsed = ContactOffers.parse(text);
            assertThat(parsed.offer()).as("variant %d", i).isEqualTo(original.offer());
            assertThat(parsed.token()).as("variant %d", i).isEqualTo(original.token());
        }
    }

    static String wrap(String s, int columns) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i += columns) {
            out.append(s, i, Math.min(s.length(), i + columns)).append('\n');
        }
        return out.toString();
    }

    @Test
    void armorAndEncodingErrors() throws Exception {
        String armored = ContactOffers.create(ALICE, UserType.DEVICE, "10.0.0.7", 32320, "tcp", null);
        String[] lines = armored.split("\n");
        String firstBody = lines[1];
        // A character outside standard base64, or a space inside a line.
        assertRefused(
                armored.replace(firstBody, firstBody.substring(0, 10) + "*" + firstBody.substring(11)),
                ErrorCode.BAD_ENCODING);
        assertRefused(
                armored.replace(firstBody, firstBody.substring(0, 10) + " " + firstBody.substring(10)),
                ErrorCode.BAD_ENCODING);
        // base64url characters are not standard base64.
        assertRefused(
                armored.replace(firstBody, firstBody.substring(0, 10) + "-" + firstBody.substring(11)),
                ErrorCode.BAD_ENCODING);
        // Padding removed, and non-zero unused bits (the same bytes in a second spelling).
        assertRefused(VECTOR.replace("UQ==", "UQ"), ErrorCode.BAD_ENCODING);
        assertRefused(VECTOR.replace("UQ==", "UR=="), ErrorCode.BAD_ENCODING);
        assertRefused(VECTOR.replace("UQ==", "UQ==\nAAAA"), ErrorCode.BAD_ENCODING);
        // Markers.
        assertRefused(armored.replace(OfferArmor.END, ""), ErrorCode.MALFORMED);
        assertRefused(armored.replace(OfferArmor.BEGIN, ""), ErrorCode.MALFORMED);
        assertRefused(armored.replace("STREEMBIT CONTACT", "STREEMBIT  CONTACT"), ErrorCode.MALFORMED);
        assertRefused(armored + armored, ErrorCode.MALFORMED);
        assertRefused(OfferArmor.BEGIN + "\n\n" + OfferArmor.END, ErrorCode.MALFORMED);
        assertRefused("", ErrorCode.MALFORMED);
        assertRefused(null, ErrorCode.MALFORMED);
        // Valid base64 of something that is not a token.
        assertRefused(
                OfferArmor.BEGIN + "\n"
                        + Base64.getEncoder().encodeToString("{\"a\":1}".getBytes(StandardCharsets.UTF_8)) + "\n"
                        + OfferArmor.END,
                ErrorCode.MALFORMED);
        assertRefused(
                OfferArmor.BEGIN + "\n" + "x".repeat(ContactOffers.MAX_TEXT_CHARS) + "\n" + OfferArmor.END,
                ErrorCode.TOO_LARGE);
    }

    @Test
    void aTamperedTokenIsRefused() throws Exception {
        String token = tokenOf(ContactOffers.create(ALICE, UserType.DEVICE, "10.0.0.7", 32320, "tcp", null));
        String[] parts = token.split("\\.");
        ObjectNode changed = (ObjectNode) Json.MAPPER.readTree(Base64Url.decode(parts[1], "payload"));
        changed.put("host", "203.0.113.66");
        String tampered = parts[0] + "." + Base64Url.encode(Json.bytes(changed)) + "." + parts[2];
        assertRefused(OfferArmor.armor(tampered), ErrorCode.BAD_SIGNATURE);
        assertRefused(tampered, ErrorCode.BAD_SIGNATURE);
        char last = parts[2].charAt(10);
        String otherSignature = parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A') + parts[2].substring(11);
        assertRefused(OfferArmor.armor(parts[0] + "." + parts[1] + "." + otherSignature), ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void theOfferMustBeSignedByTheKeyItIntroduces() throws Exception {
        // Bob's public key and account, signed by Alice: kid (Alice) is not public_key (Bob).
        assertRefused(forge(ALICE, ContactOffers.TYP, payload(BOB)), ErrorCode.KID_MISMATCH);
        // Alice's key with Bob's account.
        ObjectNode wrongAccount = payload(ALICE);
        wrongAccount.put("account", BOB.account());
        assertRefused(forge(ALICE, ContactOffers.TYP, wrongAccount), ErrorCode.BAD_KEY);
        // A header naming Alice over a signature made by Bob.
        ObjectNode header = Json.object();
        header.put("alg", "ES256K");
        header.put("kid", ALICE.publicKey().hex());
        header.put("typ", ContactOffers.TYP);
        String input = Base64Url.encode(Json.bytes(header)) + "." + Base64Url.encode(Json.bytes(payload(ALICE)));
        String bySomeoneElse = input + "." + Base64Url.encode(BOB.sign(input.getBytes(StandardCharsets.US_ASCII)));
        assertRefused(OfferArmor.armor(bySomeoneElse), ErrorCode.BAD_SIGNATURE);
        // Other token types are not offers.
        assertRefused(forge(ALICE, "streembit.record", payload(ALICE)), ErrorCode.TYP_MISMATCH);
        // A public key that is not a point.
        ObjectNode notAKey = payload(ALICE);
        notAKey.put("public_key", "02" + "ff".repeat(32));
        assertRefused(forge(ALICE, ContactOffers.TYP, notAKey), ErrorCode.BAD_KEY);
    }

    @Test
    void everyMemberIsChecked() throws Exception {
        record Case(String member, JsonNode value, ErrorCode code) {}
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        List<Case> cases = List.of(
                new Case("port", f.numberNode(0), ErrorCode.MALFORMED),
                new Case("port", f.numberNode(65536), ErrorCode.MALFORMED),
                new Case("port", f.textNode("32320"), ErrorCode.MALFORMED),
                new Case("port", f.numberNode(new java.math.BigDecimal("32320.0")), ErrorCode.MALFORMED),
                new Case(
                        "port", f.numberNode(new java.math.BigInteger("99999999999999999999999")), ErrorCode.MALFORMED),
                new Case("user_type", f.textNode("robot"), ErrorCode.MALFORMED),
                new Case("user_type", f.textNode("DEVICE"), ErrorCode.MALFORMED),
                new Case("host", f.textNode(""), ErrorCode.MALFORMED),
                new Case("host", f.textNode("evil host\n"), ErrorCode.MALFORMED),
                new Case("host", f.numberNode(10), ErrorCode.MALFORMED),
                new Case("transport", f.textNode("TCP"), ErrorCode.MALFORMED),
                new Case("account", f.textNode(ALICE.account().toUpperCase()), ErrorCode.BAD_ENCODING),
                new Case("account", f.textNode(ALICE.account().substring(2)), ErrorCode.MALFORMED),
                new Case("td", f.nullNode(), ErrorCode.MALFORMED),
                new Case("td", Json.object().put("title", "no context"), ErrorCode.MALFORMED),
                new Case("nickname", f.textNode("alice"), ErrorCode.MALFORMED));
        for (Case c : cases) {
            ObjectNode p = payload(ALICE);
            p.set(c.member(), c.value());
            assertRefused(forge(ALICE, ContactOffers.TYP, p), c.code());
            if (!c.value().isBigDecimal()) {
                // The one rule a JSON Schema cannot state: the port is written as an integer
                // literal (JSON Schema counts 32320.0 as an integer).
                assertThat(JsonSchemas.errors("contact-offer.schema.json", Json.text(p)))
                        .as("schema on %s=%s", c.member(), c.value())
                        .isNotEmpty();
            }
        }
        for (String member : List.of("account", "public_key", "user_type", "host", "port", "transport")) {
            ObjectNode p = payload(ALICE);
            p.remove(member);
            assertRefused(forge(ALICE, ContactOffers.TYP, p), ErrorCode.MALFORMED);
        }
        assertThatThrownBy(() -> ContactOffers.parse(forge(ALICE, ContactOffers.TYP, withTd(Json.object()))))
                .hasMessage("malformed: thing description: missing required member '@context'");
    }

    private static ObjectNode withTd(ObjectNode td) {
        ObjectNode p = payload(ALICE);
        p.set("td", td);
        return p;
    }

    @Test
    void theRecordRefusesWhatTheParserWouldRefuse() {
        assertThatThrownBy(
                        () -> new ContactOffer(BOB.account(), ALICE.publicKey(), UserType.HUMAN, "h", 1, "tcp", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContactOffers.create(ALICE, UserType.HUMAN, "h", 0, "tcp", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContactOffers.create(ALICE, UserType.HUMAN, "a b", 80, "tcp", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContactOffers.create(ALICE, UserType.HUMAN, "h", 80, "", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOfferIsImmutable() throws Exception {
        VerifiedContactOffer offer = ContactOffers.parse(VECTOR);
        ((ObjectNode) offer.offer().td()).put("title", "Changed");
        offer.json().put("host", "changed");
        assertThat(offer.offer().td().get("title").asText()).isEqualTo("Lamp");
        assertThat(offer.json().get("host").asText()).isEqualTo("192.0.2.10");
        assertThat(offer.toString()).contains(offer.account()).doesNotContain("Lamp");
    }
}
