package io.jenkins.plugins.gitops.core.testing.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} command line, isolated from the machine's and the user's git configuration, for tests
 * that must match what git itself does (seeding repositories, checking pushed history).
 */
public final class GitCli {

    private static final long TIMEOUT_MINUTES = 5;

    private GitCli() {}

    /** Runs {@code git args} in {@code directory} and returns its standard output; fails with its stderr. */
    public static String run(Path directory, String... args) {
        return run(directory, null, args);
    }

    /** Like {@link #run(Path, String...)}, feeding {@code input} to git's standard input. */
    public static String run(Path directory, InputStream input, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        isolate(builder.environment());
        Path stderr = null;
        try {
            stderr = Files.createTempFile("git-stderr", ".txt");
            builder.redirectError(stderr.toFile());
            if (input == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process process = builder.start();
            Thread feeder = null;
            if (input != null) {
                feeder = new Thread(() -> {
                    try (OutputStream out = process.getOutputStream()) {
                        input.transferTo(out);
                    } catch (IOException e) {
                        // git exited early; its exit code and stderr tell why
                    }
                }, "git-stdin");
                feeder.setDaemon(true);
                feeder.start();
            }
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("git " + String.join(" ", args) + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            if (feeder != null) {
                feeder.join(TimeUnit.MINUTES.toMillis(TIMEOUT_MINUTES));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed with exit code "
                        + process.exitValue() + " in " + directory + ":\n" + Files.readString(stderr));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run git " + String.join(" ", args) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running git " + String.join(" ", args), e);
        } finally {
            if (stderr != null) {
                try {
                    Files.deleteIfExists(stderr);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** Environment for a git process that ignores system and user configuration and never prompts. */
    public static void isolate(Map<String, String> env) {
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", "Test Author");
        env.put("GIT_AUTHOR_EMAIL", "author@example.test");
        env.put("GIT_COMMITTER_NAME", "Test Committer");
        env.put("GIT_COMMITTER_EMAIL", "committer@example.test");
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
    }
}
