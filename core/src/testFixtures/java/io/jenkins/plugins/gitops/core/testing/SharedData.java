package io.jenkins.plugins.gitops.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project-external reference data ({@code ../shared}: the Argo CD swagger and CRD, the real-world
 * YAML corpus). It sits beside the project in CI and development, but not in a user's clone: tests that
 * need it call {@link #require} and are skipped, with a message saying why, when it is absent. In CI
 * ({@code CI=true} in the environment) an absent {@code ../shared} fails instead: a build that silently
 * stopped validating against the upstream contract must not pass.
 */
public final class SharedData {

    private SharedData() {}

    /** The shared directory as configured by the build ({@code gitops.shared.dir}), or {@code ../../shared}. */
    public static Path root() {
        String configured = System.getProperty("gitops.shared.dir");
        return Path.of(configured != null ? configured : "../../shared").toAbsolutePath().normalize();
    }

    /** Resolves {@code relative} under the shared directory, skipping the calling test when it is missing. */
    public static Path require(String relative) {
        Path path = root().resolve(relative);
        assumeTrue(present(path),
                () -> "skipped: " + path + " is absent; this test reads the project-external reference data"
                        + " in ../shared (present in CI and beside a development checkout)");
        return path;
    }

    /**
     * Whether {@code path} (under the shared directory) exists.
     *
     * @throws IllegalStateException when it does not and the build runs in CI ({@code CI=true})
     */
    public static boolean present(Path path) {
        if (Files.exists(path)) {
            return true;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(path + " is absent, and CI=true: in CI the reference data in ../shared"
                    + " must be present (set -Dgitops.shared.dir to its location), or contract validation would be"
                    + " silently switched off");
        }
        return false;
    }
}
