package io.jenkins.plugins.gitops.core.manifest;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Editor tests that each get a fresh, empty config repository. */
abstract class ConfigRepoTestCase {

    @TempDir
    Path dir;

    ConfigRepo repo;

    @BeforeEach
    void createRepo() {
        repo = new ConfigRepo(dir);
    }
}
