package io.jenkins.plugins.gitops.core.git;

import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared set-up of the git tests: a config repository with a few apps. */
final class GitServers {

    static final String USER = "ci-bot";
    static final String PASSWORD = "s3cr3t-Pa55word-never-logged";

    private GitServers() {}

    static BareRepository configRepository(Path root, int apps) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < apps; i++) {
            files.put(appFile(i), ImageLineEdit.manifest(image(i), "1.0.0"));
        }
        files.put("README.md", "config\n");
        return BareRepository.create(root, "config.git", "main", files);
    }

    static String appFile(int app) {
        return "apps/app" + app + "/deployment.yaml";
    }

    static String image(int app) {
        return "registry.example.test/team/app" + app;
    }
}
