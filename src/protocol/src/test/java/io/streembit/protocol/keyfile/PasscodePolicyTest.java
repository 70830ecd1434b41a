package io.streembit.protocol.keyfile;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PasscodePolicyTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Tr0ub4dour-x", // all four classes
                "correcthorse42!", // lower, digit, symbol
                "CORRECT HORSE 42", // upper, space as symbol, digit
                "Gr\u00fcne-Br\u00fccke", // non-ASCII letters count as cased letters
                "\u00c4\u00d6\u00dc\u00e4\u00f6\u00fc12345"
            })
    void acceptsLongMixedPasscodes(String passcode) {
        assertThatCode(() -> PasscodePolicy.check(passcode.toCharArray())).doesNotThrowAnyException();
    }

    @Test
    void refusesShortPasscodeSayingSoWithoutEchoingIt() {
        ProtocolException e = refused("Ab1!xyz");
        assertThat(e.getMessage())
                .contains("fewer than 10 characters")
                .doesNotContain("Ab1!xyz")
                .doesNotContain("7");
    }

    @Test
    void refusesTwoClassesNamingWhatIsMissing() {
        ProtocolException e = refused("onlylowercase123");
        assertThat(e.getMessage())
                .contains("at least 3 of")
                .contains("no uppercase letters")
                .contains("no symbols")
                .doesNotContain("fewer than")
                .doesNotContain("onlylowercase123");
    }

    @Test
    void refusesShortAndSingleClassWithBothReasons() {
        ProtocolException e = refused("abcdef");
        assertThat(e.getMessage()).contains("fewer than 10").contains("no uppercase letters, no digits, no symbols");
    }

    @Test
    void refusesEmptyAndLongSingleClassPasscodes() {
        assertThat(refused("").getMessage()).contains("empty");
        assertThat(refused("a".repeat(64)).getMessage()).contains("no uppercase letters");
    }

    @Test
    void surrogatePairsCountAsOneCharacter() {
        // Five emoji and three ASCII characters: 13 UTF-16 units but only 8 characters.
        String emoji = "\uD83D\uDE00";
        assertThat(refused(emoji.repeat(5) + "aB1").getMessage()).contains("fewer than 10");
        assertThatCode(() -> PasscodePolicy.check((emoji.repeat(7) + "aB1").toCharArray()))
                .doesNotThrowAnyException();
    }

    private static ProtocolException refused(String passcode) {
        ProtocolException e =
                catchThrowableOfType(ProtocolException.class, () -> PasscodePolicy.check(passcode.toCharArray()));
        assertThat(e).as("passcode should be refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.WEAK_PASSCODE);
        return e;
    }
}
