package io.streembit.cli;

import org.junit.jupiter.api.Test;

import static io.streembit.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** Command-line mistakes: exit 2, one line naming the problem and where help is. */
class UsageTest {
    @Test
    void helpListsEveryCommandGroup() {
        CliRun.Result help = cli().run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("key", "jws", "jwe", "offer", "node", "dht", "STREEMBIT_PASSCODE");
        CliRun.Result keyHelp = cli().run("key", "--help");
        assertThat(keyHelp.out()).contains("new", "show", "passcode", "import");
        assertThat(cli().run("offer", "--help").out()).contains("create", "inspect");
        assertThat(cli().run("dht", "--help").out()).contains("put", "get");
        assertThat(cli().run("node", "--help").out())
                .contains("--port", "--seed", "--data", "--network", "--allow", "--key");
        assertThat(help.out()).contains("simulate");
        assertThat(cli().run("simulate", "--help").out())
                .contains(
                        "--gateway-offer",
                        "--seed",
                        "--devices",
                        "--rate",
                        "--batch",
                        "--kind",
                        "--keys",
                        "--offers-out",
                        "--buffers",
                        "--host",
                        "--duration",
                        "STREEMBIT_PASSCODE");
    }

    @Test
    void aMissingOptionIsOneLineWithExitTwo() {
        CliRun.Result result = cli().run("key", "new");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().lines().toList())
                .containsExactly("streembit: Missing required option: '--out=FILE' (see 'streembit key new --help')");
    }

    @Test
    void anUnknownCommandIsOneLineWithExitTwo() {
        CliRun.Result result = cli().run("frobnicate");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().lines().toList())
                .containsExactly("streembit: unknown command 'frobnicate' (see 'streembit --help')");
        assertThat(cli().run("jws").err().lines().toList())
                .singleElement()
                .asString()
                .contains("Missing required subcommand");
    }

    @Test
    void aPasscodeIsNeverAcceptedAsAFlag() {
        CliRun.Result result = cli().run("key", "new", "--out", "x.key", "--passcode", "Blue-Kettle-2049");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).doesNotContain("Blue-Kettle-2049");
        assertThat(result.err().lines().toList())
                .containsExactly(
                        "streembit: unknown option '--passcode' and 1 unexpected argument;"
                                + " a passcode is never a flag: set STREEMBIT_PASSCODE or answer the prompt (see 'streembit key new --help')");
        assertThat(cli().run("key", "new", "--out", "x.key", "--passcode=Blue-Kettle-2049")
                        .err())
                .doesNotContain("Blue-Kettle-2049");
    }

    @Test
    void aNonProductionKdfSettingOtherThanTheTestOneIsRefused() {
        CliRun.Result result = new CliRun()
                .env(KeyFiles.KDF_ENV, "fast")
                .passcode("Blue-Kettle-2049")
                .run("key", "new", "--out", "never-written.key");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().lines().toList())
                .containsExactly("streembit: STREEMBIT_KDF must be unset (or 'insecure-test', for tests only)");
    }
}
