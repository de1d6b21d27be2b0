package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * set-image in a checkout whose edit journal cannot be read or written: the command fails naming the journal, and the
 * work tree is exactly as it was (the journal is written in the same change set as the files, so neither is).
 * Made with files where directories belong rather than with permissions, which do not stop root.
 */
class UnusableJournalTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: guestbook
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: ghcr.io/example-org/guestbook:1.4.2
            """;

    enum Journal {
        /** {@code .git/gitops} is a file: the journal's directory cannot be made. */
        DIRECTORY_IS_A_FILE(ExitCode.FAILURE, ".git/gitops") {
            @Override
            void spoil(Path git) throws IOException {
                Files.writeString(git.resolve("gitops"), "not a directory\n");
            }
        },
        /** The journal holds text that is not a journal. */
        CORRUPT(ExitCode.BAD_INPUT, ".git/gitops/pending-edits.json") {
            @Override
            void spoil(Path git) throws IOException {
                Files.createDirectories(git.resolve("gitops"));
                Files.writeString(git.resolve("gitops/pending-edits.json"), "{\"format\": 1, \"edits\": [");
            }
        },
        /** The journal is a directory: it cannot be read. */
        UNREADABLE(ExitCode.FAILURE, ".git/gitops/pending-edits.json") {
            @Override
            void spoil(Path git) throws IOException {
                Files.createDirectories(git.resolve("gitops/pending-edits.json"));
            }
        };

        final ExitCode exit;
        final String named;

        Journal(ExitCode exit, String named) {
            this.exit = exit;
            this.named = named;
        }

        abstract void spoil(Path git) throws IOException;
    }

    @TempDir
    Path checkout;

    @ParameterizedTest
    @EnumSource(Journal.class)
    void anUnusableJournalFailsNamingItAndChangesNothing(Journal journal) throws IOException {
        Path manifest = checkout.resolve("apps/guestbook/deployment.yaml");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, DEPLOYMENT);
        GitCli.run(checkout, "init", "--quiet", "--initial-branch", "main");
        GitCli.run(checkout, "add", ".");
        GitCli.run(checkout, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "Start");
        journal.spoil(checkout.resolve(".git"));

        Result result = run("set-image", checkout.resolve("apps").toString(), "--image", "ghcr.io/example-org/guestbook",
                "--tag", "2.0.0");

        assertThat(result.exit()).as(result.toString()).isEqualTo(journal.exit.code());
        assertThat(result.lastErrLine()).startsWith("gitops set-image: ").contains(journal.named);
        assertThat(Files.readString(manifest)).isEqualTo(DEPLOYMENT);
        try (Stream<Path> files = Files.list(manifest.getParent())) {
            assertThat(files).as("no temporary file is left").containsExactly(manifest);
        }
    }
}
