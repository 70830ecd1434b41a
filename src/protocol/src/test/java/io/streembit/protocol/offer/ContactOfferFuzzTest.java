package io.streembit.protocol.offer;

import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.td.ThingDescription;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Mutated armored offers: parsing fails only with ProtocolException, and whatever it accepts
 * is exactly the original offer (a mutation can change whitespace or surrounding text, never
 * the content).
 */
class ContactOfferFuzzTest {
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    private static final String OTHER = " \t\r\n-_.*~!{}\"\\\u00e9\u0000";

    static List<String> offers() throws ProtocolException {
        Identity device = TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000aa");
        List<String> offers = new ArrayList<>();
        offers.add(ContactOffersTest.VECTOR);
        offers.add(ContactOffers.create(device, UserType.GATEWAY, "gw.example.com", 32320, "tcp", null));
        offers.add(ContactOffers.create(
                device,
                UserType.DEVICE,
                "10.1.2.3",
                4000,
                "tcp",
                ThingDescription.parse(JsonSchemas.thing("door-lock.td.json"))));
        return offers;
    }

    @Test
    void mutatedArmorIsRefusedOrReadsAsTheOriginal() throws Exception {
        long seed = 42_2026L;
        Random random = new Random(seed);
        List<String> offers = offers();
        List<VerifiedContactOffer> originals = new ArrayList<>();
        for (String o : offers) {
            originals.add(ContactOffers.parse(o));
        }
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 4000; i++) {
            int which = random.nextInt(offers.size());
            String mutated = mutate(random, offers.get(which));
            try {
                VerifiedContactOffer parsed = ContactOffers.parse(mutated);
                assertThat(parsed.offer())
                        .as("seed %d case %d: %s", seed, i, mutated)
                        .isEqualTo(originals.get(which).offer());
                assertThat(parsed.token())
                        .as("seed %d case %d", seed, i)
                        .isEqualTo(originals.get(which).token());
                accepted++;
            } catch (ProtocolException e) {
                refused++;
            } catch (RuntimeException | StackOverflowError e) {
                fail("seed " + seed + " case " + i + ": " + e + " on\n" + mutated, e);
            }
        }
        assertThat(accepted).as("whitespace-only mutations must be accepted").isGreaterThan(100);
        assertThat(refused).isGreaterThan(1000);
    }

    /** Any change to the token itself, however re-armored, is refused. */
    @Test
    void aModifiedTokenByteIsNeverAccepted() throws Exception {
        long seed = 43_2026L;
        Random random = new Random(seed);
        List<String> tokens = new ArrayList<>();
        for (String o : offers()) {
            tokens.add(ContactOffers.parse(o).token());
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < 3000; i++) {
            String token = tokens.get(random.nextInt(tokens.size()));
            StringBuilder t = new StringBuilder(token);
            int op = random.nextInt(3);
            int pos = random.nextInt(t.length());
            if (op == 0) {
                char c;
                do {
                    c = alphabet.charAt(random.nextInt(alphabet.length()));
                } while (c == t.charAt(pos));
                t.setCharAt(pos, c);
            } else if (op == 1) {
                t.deleteCharAt(pos);
            } else {
                t.insert(pos, alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String changed = t.toString();
            for (String text : new String[] {changed, OfferArmor.armor(changed)}) {
                try {
                    ContactOffers.parse(text);
                    fail("seed " + seed + " case " + i + ": modified token accepted: " + changed);
                } catch (ProtocolException expected) {
                    // refused, as it must be
                } catch (RuntimeException e) {
                    fail("seed " + seed + " case " + i + ": " + e, e);
                }
            }
        }
    }

    @Test
    void randomTextOnlyEverFailsWithProtocolException() {
        long seed = 44_2026L;
        Random random = new Random(seed);
        String chars = BASE64 + OTHER + ".";
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder();
            if (random.nextBoolean()) {
                s.append(OfferArmor.BEGIN).append('\n');
            }
            int n = random.nextInt(200);
            for (int k = 0; k < n; k++) {
                s.append(chars.charAt(random.nextInt(chars.length())));
            }
            if (random.nextBoolean()) {
                s.append('\n').append(OfferArmor.END);
            }
            try {
                ContactOffers.parse(s.toString());
                fail("seed " + seed + " case " + i + ": random text accepted: " + s);
            } catch (ProtocolException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("seed " + seed + " case " + i + ": " + e + " on " + s, e);
            }
        }
    }

    static String mutate(Random r, String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int op = r.nextInt(12);
        int line = r.nextInt(lines.size());
        String l = lines.get(line);
        switch (op) {
            case 0, 1 -> { // replace one character
                if (!l.isEmpty()) {
                    int p = r.nextInt(l.length());
                    String pool = r.nextInt(4) == 0 ? OTHER : BASE64;
                    lines.set(line, l.substring(0, p) + pool.charAt(r.nextInt(pool.length())) + l.substring(p + 1));
                }
            }
            case 2 -> { // delete one character
                if (!l.isEmpty()) {
                    int p = r.nextInt(l.length());
                    lines.set(line, l.substring(0, p) + l.substring(p + 1));
                }
            }
            case 3 -> { // insert one character
                int p = l.isEmpty() ? 0 : r.nextInt(l.length() + 1);
                String pool = r.nextBoolean() ? OTHER : BASE64;
                lines.set(line, l.substring(0, p) + pool.charAt(r.nextInt(pool.length())) + l.substring(p));
            }
            case 4 -> lines.remove(line);
            case 5 -> lines.add(line, lines.get(r.nextInt(lines.size())));
            case 6 -> { // swap two lines
                int other = r.nextInt(lines.size());
                lines.set(line, lines.get(other));
                lines.set(other, l);
            }
            case 7 -> lines.set(line, "  \t" + l + " "); // indentation: harmless
            case 8 -> lines.add(line, ""); // a blank line: harmless
            case 9 -> { // text before or after the armor: harmless unless it lands inside
                lines.add(r.nextBoolean() ? 0 : lines.size(), "Sent from my phone");
                lines.add(line, r.nextBoolean() ? "" : "note: provisioning batch 7");
            }
            case 10 -> { // join two lines: harmless inside the base64 body
                if (line + 1 < lines.size()) {
                    lines.set(line, l + lines.remove(line + 1));
                }
            }
            default -> { // split a line: harmless inside the base64 body
                if (l.length() > 1) {
                    int p = 1 + r.nextInt(l.length() - 1);
                    lines.set(line, l.substring(0, p));
                    lines.add(line + 1, l.substring(p));
                }
            }
        }
        String joined = String.join("\n", lines);
        return r.nextInt(5) == 0 ? joined.replace("\n", "\r\n") : joined;
    }
}
