package io.streembit.dht;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "seed-0.streembit-seed.iot.svc:4000 | seed-0.streembit-seed.iot.svc | 4000",
                "127.0.0.1:1                        | 127.0.0.1                     | 1",
                "localhost:65535                    | localhost                     | 65535",
                "[::1]:4000                         | ::1                           | 4000",
                "[2001:db8::7]:32320                | 2001:db8::7                   | 32320",
                "[fe80::1%eth0]:4000                | fe80::1%eth0                  | 4000",
                "[::ffff:192.0.2.7]:4000            | ::ffff:192.0.2.7              | 4000"
            })
    void goodFormsParseToABareHostAndReadBackTheSame(String text, String host, int port) {
        HostPort parsed = HostPort.parse(text);
        assertThat(parsed).isEqualTo(new HostPort(host, port));
        assertThat(parsed.toString()).isEqualTo(text);
        assertThat(HostPort.parse(parsed.toString())).isEqualTo(parsed);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "seed-0               | has no port",
                "[::1]                | has no port",
                "host:                | has no port after",
                "[::1]:               | has no port after",
                "host:40a0            | not a number",
                "host:-1              | not a number",
                "host: 4000           | not a number",
                "host:0               | out of range",
                "host:65536           | out of range",
                "host:99999999999     | out of range",
                ":4000                | has no host",
                "::1:4000             | without brackets",
                "[::1:4000            | no closing ']'",
                "[::1]4000            | no ':' after",
                "[seed-0]:4000        | no IPv6 address",
                "[]:4000              | no IPv6 address",
                "bad/host:4000        | not letters, digits"
            })
    void eachBadFormIsRefusedNamingTheValue(String text, String problem) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' ")
                .hasMessageContaining(problem);
    }

    @Test
    void valuesBuiltDirectlyAreCheckedToo() {
        assertThatThrownBy(() -> new HostPort("[::1]", 4000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[::1]");
        assertThatThrownBy(() -> new HostPort("", 4000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostPort(null, 4000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostPort("host", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 65535");
        assertThat(new HostPort("::1", 4000)).hasToString("[::1]:4000");
    }

    @Test
    void controlCharactersInABadValueAreMasked() {
        assertThatThrownBy(() -> HostPort.parse("host\n:x")).hasMessageStartingWith("'host?:x' ");
    }
}
