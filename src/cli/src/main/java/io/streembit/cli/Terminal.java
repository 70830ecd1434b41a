package io.streembit.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Map;

/**
 * Everything a command touches outside itself: standard streams, the environment, the
 * interactive console (null when there is none) and the randomness source. The real process
 * uses {@link #system()}; tests build one with byte streams and a map, and run the real
 * commands in-process.
 */
public record Terminal(
        InputStream in,
        PrintStream out,
        PrintStream err,
        Map<String, String> env,
        SecretPrompt console,
        SecureRandom random) {

    /** Reads a secret from a person at a terminal without echoing it. */
    @FunctionalInterface
    public interface SecretPrompt {
        /** Shows {@code prompt} and returns what was typed, or null at end of input. */
        char[] readSecret(String prompt) throws IOException;
    }

    /**
     * The process's own streams and environment. Secrets are asked on the JDK console when
     * stdin and stdout are both the terminal, else on {@code /dev/tty} when there is a
     * controlling terminal, else not at all.
     */
    public static Terminal system() {
        Console console = System.console();
        SecretPrompt prompt = console != null ? text -> console.readPassword("%s", text) : TtyPrompt.openOrNull();
        return new Terminal(System.in, System.out, System.err, System.getenv(), prompt, new SecureRandom());
    }

    /** An environment variable, null when unset or empty. */
    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
