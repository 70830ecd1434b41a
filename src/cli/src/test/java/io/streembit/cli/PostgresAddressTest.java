package io.streembit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo's psql line for --postgres-url: the database the gateway uses, reachable by pasting it. */
class PostgresAddressTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "jdbc:postgresql://db:5432/streembit?user=app&password=s3cret | psql -h db -p 5432 -U app -d streembit",
                "jdbc:postgresql://db.example.net/streembit                   | psql -h db.example.net -p 5432 -U postgres -d streembit",
                "jdbc:postgresql://10.0.0.5:6432/iot?sslmode=require          | psql -h 10.0.0.5 -p 6432 -U postgres -d iot",
                "jdbc:postgresql://[::1]:5433/iot?user=app                    | psql -h ::1 -p 5433 -U app -d iot",
                "jdbc:postgresql://db1:5432,db2:5433/iot?user=app             | psql -h db1,db2 -p 5432,5433 -U app -d iot",
                "jdbc:postgresql:iot                                          | psql -h localhost -p 5432 -U postgres -d iot",
                "jdbc:postgresql://db/my%20data?user=o%27brien                | psql -h db -p 5432 -U 'o'\\''brien' -d 'my data'"
            })
    void theJdbcUrlBecomesAPsqlCommandWithoutThePassword(String url, String psql) throws Exception {
        PostgresAddress address = PostgresAddress.fromJdbcUrl(url, "postgres");
        assertThat(address.psql()).isEqualTo(psql).doesNotContain("s3cret");
        assertThat(address.toString()).doesNotContain("s3cret");
    }

    @Test
    void theProgressLineNamesServerDatabaseAndUser() throws Exception {
        assertThat(PostgresAddress.fromJdbcUrl("jdbc:postgresql://[::1]:5433/iot?password=x&user=app", "postgres"))
                .hasToString("[::1]:5433/iot as app");
    }

    @Test
    void whatIsNoPostgresJdbcUrlIsRefusedWithoutEchoingItsParameters() {
        assertThatThrownBy(() -> PostgresAddress.fromJdbcUrl("postgresql://db:5432/iot", "postgres"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> PostgresAddress.fromJdbcUrl("jdbc:postgresql://db:pg/iot?password=s3cret", "postgres"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("'pg'")
                .hasMessageNotContaining("s3cret");
    }
}
