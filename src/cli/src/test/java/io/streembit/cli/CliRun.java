package io.streembit.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the real `streembit` commands in-process with a scripted terminal. */
final class CliRun {
    private final Map<String, String> env = new HashMap<>();
    private byte[] stdin = new byte[0];
    private Deque<String> consoleAnswers;
    final List<String> prompts = new ArrayList<>();

    static CliRun cli() {
        // Cheap Argon2id for tests only: see KeyFiles.KDF_ENV.
        return new CliRun().env(KeyFiles.KDF_ENV, KeyFiles.INSECURE_TEST_KDF);
    }

    CliRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    CliRun passcode(String value) {
        return env(Passcodes.PASSCODE_ENV, value);
    }

    CliRun stdin(String text) {
        return stdin(text.getBytes(StandardCharsets.UTF_8));
    }

    CliRun stdin(byte[] bytes) {
        this.stdin = bytes.clone();
        return this;
    }

    /** A terminal whose person types these answers, in order, at the prompts. */
    CliRun console(String... answers) {
        this.consoleAnswers = new ArrayDeque<>(List.of(answers));
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal.SecretPrompt console = consoleAnswers == null ? null : prompt -> {
            prompts.add(prompt);
            String answer = consoleAnswers.poll();
            return answer == null ? null : answer.toCharArray();
        };
        Terminal terminal = new Terminal(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.copyOf(env), console, new SecureRandom());
        int exit = StreembitCli.run(terminal, args);
        return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int exit, byte[] outBytes, String err) {
        String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        /** stderr without the warning that STREEMBIT_KDF=insecure-test prints. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.contains("STREEMBIT_KDF=")).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out() + "\nstderr: " + err;
        }
    }
}
