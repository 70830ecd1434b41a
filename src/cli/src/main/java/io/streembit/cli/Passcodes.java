package io.streembit.cli;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.keyfile.PasscodePolicy;

import java.io.IOException;
import java.util.Arrays;

/**
 * Where passcodes come from, in order: an environment variable, the terminal prompt without
 * echo ({@link Terminal#console()}), or one line of standard input when standard input
 * carries nothing else.
 * Never a command-line flag: flags end up in shell history and in {@code ps} output.
 */
final class Passcodes {
    static final String PASSCODE_ENV = "STREEMBIT_PASSCODE";
    static final String NEW_PASSCODE_ENV = "STREEMBIT_NEW_PASSCODE";

    private final Terminal terminal;

    Passcodes(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The passcode of an existing key file: env STREEMBIT_PASSCODE, prompt, or stdin. */
    char[] existing(String file, boolean stdinCarriesInput) throws CliException {
        String fromEnv = terminal.env(PASSCODE_ENV);
        if (fromEnv != null) {
            return fromEnv.toCharArray();
        }
        if (terminal.console() != null) {
            char[] typed = prompt("Passcode for " + file + ": ");
            if (typed == null) {
                throw new CliException("no passcode entered");
            }
            return typed;
        }
        return fromStdin(PASSCODE_ENV, stdinCarriesInput);
    }

    /**
     * A new passcode: from {@code envName}, or typed twice at the prompt (checked against the
     * policy before the second prompt), or one line of stdin.
     */
    char[] fresh(String envName, boolean stdinCarriesInput) throws CliException, ProtocolException {
        String fromEnv = terminal.env(envName);
        if (fromEnv != null) {
            return fromEnv.toCharArray();
        }
        if (terminal.console() != null) {
            char[] first = prompt("New passcode: ");
            if (first == null) {
                throw new CliException("no passcode entered");
            }
            try {
                PasscodePolicy.check(first);
            } catch (ProtocolException e) {
                Arrays.fill(first, '\0');
                throw e;
            }
            char[] second = prompt("Repeat the new passcode: ");
            if (second == null || !Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                if (second != null) {
                    Arrays.fill(second, '\0');
                }
                throw new CliException("the two passcodes do not match");
            }
            Arrays.fill(second, '\0');
            return first;
        }
        return fromStdin(envName, stdinCarriesInput);
    }

    private char[] prompt(String text) throws CliException {
        try {
            return terminal.console().readSecret(text);
        } catch (IOException e) {
            throw new CliException("cannot read the passcode from the terminal: " + e.getMessage());
        }
    }

    private char[] fromStdin(String envName, boolean stdinCarriesInput) throws CliException {
        if (stdinCarriesInput) {
            throw new CliException(
                    "no passcode: set " + envName
                            + " or run in a terminal (standard input carries the data, so the passcode cannot be read from it)");
        }
        char[] line;
        try {
            line = SecretLine.read(terminal.in());
        } catch (IOException e) {
            throw new CliException("cannot read the passcode from standard input: " + e.getMessage());
        }
        if (line == null || line.length == 0) {
            throw new CliException(
                    "no passcode: set " + envName + ", run in a terminal, or give it as a line on standard input");
        }
        return line;
    }
}
