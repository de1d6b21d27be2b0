package io.jenkins.plugins.gitops.core.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Untimed housekeeping commands of the benchmark (copy, remove, version probe). */
final class Shell {

    private Shell() {}

    static void run(Path directory, String... command) throws IOException, InterruptedException {
        output(directory, command);
    }

    static String output(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}
