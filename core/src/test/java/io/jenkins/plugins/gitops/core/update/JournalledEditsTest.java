package io.jenkins.plugins.gitops.core.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.git.EditJournal;
import io.jenkins.plugins.gitops.core.git.EditOutcome;
import io.jenkins.plugins.gitops.core.manifest.EditReport;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditor;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalledEditsTest {

    private static final String KUSTOMIZATION = """
            resources:
              - deployment.yaml
            images:
              - name: ghcr.io/example-org/guestbook
                newTag: 1.4.2
            """;

    @TempDir
    Path checkout;

    @TempDir
    Path newTip;

    private void commitKustomization(Path workTree) throws IOException {
        Files.createDirectories(workTree.resolve("apps/guestbook"));
        Files.writeString(workTree.resolve("apps/guestbook/kustomization.yaml"), KUSTOMIZATION);
        GitCli.run(workTree, "init", "--quiet");
        GitCli.run(workTree, "add", ".");
        GitCli.run(workTree, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "init");
    }

    private static EditReport edit(Path directory, EditRequest request) {
        return JournalledEdits.applyAndRecord(directory, request);
    }

    @Test
    void journalsAnEditWithItsDirectoryAndReadsItBack() throws IOException {
        commitKustomization(checkout);
        EditRequest request = EditRequest.of(ImageUpdate.tag("ghcr.io/example-org/guestbook", "1.5.0"));

        edit(checkout.resolve("apps/guestbook"), request);

        List<JournalledEdits.Entry> entries = JournalledEdits.pending(EditJournal.forCheckout(checkout).orElseThrow());
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.directory()).isEqualTo("apps/guestbook");
            assertThat(entry.request()).isEqualTo(request);
            assertThat(entry.changes()).extracting(c -> c.oldValue() + "->" + c.newValue()).containsExactly("1.4.2->1.5.0");
        });
        assertThat(JournalledEdits.files(entries)).containsExactly("apps/guestbook/kustomization.yaml");
    }

    @Test
    void journalsNothingWhenTheEditChangedNothing() throws IOException {
        commitKustomization(checkout);

        edit(checkout.resolve("apps/guestbook"), EditRequest.of(ImageUpdate.tag("ghcr.io/example-org/guestbook", "1.4.2")));

        assertThat(JournalledEdits.pending(EditJournal.forCheckout(checkout).orElseThrow())).isEmpty();
    }

    @Test
    void replaysTheJournalledRequestOnANewTipWithTheCommitMessageValues() throws IOException {
        commitKustomization(checkout);
        commitKustomization(newTip);
        edit(checkout.resolve("apps/guestbook"), EditRequest.of(ImageUpdate.tag("ghcr.io/example-org/guestbook", "1.5.0")));
        List<JournalledEdits.Entry> entries = JournalledEdits.pending(EditJournal.forCheckout(checkout).orElseThrow());

        EditOutcome outcome = JournalledEdits.replay(entries, Optional.of("guestbook")).apply(newTip);

        assertThat(outcome.changedFiles()).containsExactly("apps/guestbook/kustomization.yaml");
        assertThat(Files.readString(newTip.resolve("apps/guestbook/kustomization.yaml"))).contains("newTag: 1.5.0");
        assertThat(outcome.messageVariables())
                .containsEntry("image", "ghcr.io/example-org/guestbook")
                .containsEntry("oldVersion", "1.4.2")
                .containsEntry("newVersion", "1.5.0")
                .containsEntry("app", "guestbook");
    }

    @Test
    void replayFailsNamingTheImageWhenTheNewTipNoLongerReferencesIt() throws IOException {
        commitKustomization(checkout);
        edit(checkout.resolve("apps/guestbook"), EditRequest.of(ImageUpdate.tag("ghcr.io/example-org/guestbook", "1.5.0")));
        List<JournalledEdits.Entry> entries = JournalledEdits.pending(EditJournal.forCheckout(checkout).orElseThrow());
        Files.createDirectories(newTip.resolve("apps/guestbook"));
        Files.writeString(newTip.resolve("apps/guestbook/kustomization.yaml"), "resources:\n  - deployment.yaml\n");

        assertThatThrownBy(() -> JournalledEdits.replay(entries, Optional.empty()).apply(newTip))
                .isInstanceOf(JournalledEdits.ImageNotFoundException.class)
                .hasMessageContaining("ghcr.io/example-org/guestbook")
                .hasMessageContaining("apps/guestbook");
    }
}
