package io.jenkins.plugins.gitops.core.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditJournalTest {

    @TempDir
    Path checkout;

    private static ObjectNode entry(String value) {
        return new ObjectMapper().createObjectNode().put("tag", value);
    }

    private static void write(EditJournal.Appended appended) throws IOException {
        Files.createDirectories(appended.file().getParent());
        Files.writeString(appended.file(), appended.next());
    }

    @Test
    void keepsEntriesInOrderInsideTheGitDirectoryAndNeverInTheWorkTree() throws IOException {
        GitCli.run(checkout, "init", "--quiet");
        Files.createDirectories(checkout.resolve("apps/one"));
        EditJournal journal = EditJournal.forCheckout(checkout.resolve("apps/one")).orElseThrow();

        write(journal.appending(entry("1.0")));
        write(journal.appending(entry("2.0")));

        assertThat(journal.file()).startsWith(checkout.resolve(".git"));
        assertThat(journal.entries()).extracting(e -> e.path("tag").asText()).containsExactly("1.0", "2.0");
        assertThat(GitCli.run(checkout, "status", "--porcelain", "--untracked-files=all")).isEmpty();

        journal.clear();
        assertThat(journal.entries()).isEmpty();
        assertThat(journal.file()).doesNotExist();
    }

    @Test
    void isAbsentOutsideACheckout() {
        assertThat(EditJournal.forCheckout(checkout)).isEmpty();
    }

    @Test
    void aCorruptJournalIsReportedWithItsPath() throws IOException {
        GitCli.run(checkout, "init", "--quiet");
        EditJournal journal = EditJournal.forCheckout(checkout).orElseThrow();
        Files.createDirectories(journal.file().getParent());
        Files.writeString(journal.file(), "{not json");

        assertThatThrownBy(journal::entries)
                .isInstanceOf(GitOperationException.class)
                .hasMessageContaining(journal.file().toString())
                .hasMessageContaining("nothing was changed. To recover: delete it (the edits it recorded stay in the files)");
    }
}
