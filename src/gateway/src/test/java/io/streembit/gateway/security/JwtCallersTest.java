package io.streembit.gateway.security;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The caller of a verified token, from its claims as SmallRye JWT hands them over. */
class JwtCallersTest {

    @Test
    void subjectGroupsAndAllowList() throws Exception {
        Caller caller = JwtCallers.caller(token("""
                {"iss": "https://issuer", "sub": "portal-7", "groups": ["read", "command"],
                 "streembit_devices": ["a9c6287c794817903fcce3cab762b787798486f5"],
                 "streembit_labels": {"site": "lab", "floor": "2"}}
                """));
        assertThat(caller.name()).isEqualTo("jwt:portal-7");
        assertThat(caller.roles()).containsExactlyInAnyOrder(Caller.READ, Caller.COMMAND);
        assertThat(caller.devices()).containsExactly("a9c6287c794817903fcce3cab762b787798486f5");
        assertThat(caller.labels()).isEqualTo(Map.of("site", "lab", "floor", "2"));
        assertThat(caller.mayAccess("other", Map.of("site", "lab"))).isTrue();
        assertThat(caller.mayAccess("other", Map.of("site", "office"))).isFalse();
    }

    @Test
    void noAllowListClaimsMeanEveryDeviceAndNoGroupsNoRoles() throws Exception {
        Caller caller = JwtCallers.caller(token("{\"iss\": \"https://issuer\", \"sub\": \"alice\"}"));
        assertThat(caller.roles()).isEmpty();
        assertThat(caller.devices()).isEmpty();
        assertThat(caller.labels()).isEmpty();
        assertThat(caller.mayAccess("any", Map.of())).isTrue();
    }

    @Test
    void allowListClaimsOfAnotherShapeAreRefused() {
        assertThatThrownBy(() -> JwtCallers.caller(token("{\"sub\": \"a\", \"streembit_devices\": \"one\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streembit_devices");
        assertThatThrownBy(() -> JwtCallers.caller(token("{\"sub\": \"a\", \"streembit_devices\": [1]}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streembit_devices");
        assertThatThrownBy(() -> JwtCallers.caller(token("{\"sub\": \"a\", \"streembit_labels\": [\"site\"]}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streembit_labels");
        assertThatThrownBy(() -> JwtCallers.caller(token("{\"sub\": \"a\", \"streembit_labels\": {\"site\": 1}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streembit_labels");
    }

    private static DefaultJWTCallerPrincipal token(String claims) throws Exception {
        return new DefaultJWTCallerPrincipal(JwtClaims.parse(claims));
    }
}
