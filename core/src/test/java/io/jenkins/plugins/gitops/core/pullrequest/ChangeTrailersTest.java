package io.jenkins.plugins.gitops.core.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.git.ValueChange;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeTrailersTest {

    private static final String FILE = "apps/guestbook/kustomization.yaml";
    private static final ValueChange GUESTBOOK = new ValueChange(FILE, "ghcr.io/example-org/guestbook", "1.4.2", "2.0.0");
    private static final ValueChange WORKER = new ValueChange(FILE, "ghcr.io/example-org/worker", "0.9.0", "1.0.0");

    @Test
    void aMessageCarriesItsChangesThroughAppendAndParse() {
        String message = ChangeTrailers.append("Update guestbook to 2.0.0\n\nBuild: https://ci.example.test/job/7/\n",
                List.of(GUESTBOOK, WORKER));

        assertThat(message).startsWith("Update guestbook to 2.0.0\n\nBuild: https://ci.example.test/job/7/\n\nGitops-Change: ");
        assertThat(ChangeTrailers.parse(message)).containsExactly(GUESTBOOK, WORKER);
    }

    @Test
    void aMessageWithoutChangesIsLeftAsItIsAndAHandWrittenTrailerIsIgnored() {
        assertThat(ChangeTrailers.append("Update guestbook", List.of())).isEqualTo("Update guestbook");
        assertThat(ChangeTrailers.parse("Update\n\nGitops-Change: guestbook to 2.0.0\nGitops-Change: {\"image\":\"x\"}")).isEmpty();
    }

    @Test
    void aLaterChangeOfTheSameValueContinuesTheEarlierOneAndOthersAreAdded() {
        ValueChange again = new ValueChange(FILE, GUESTBOOK.subject(), "2.0.0", "2.1.0");

        assertThat(ChangeTrailers.fold(List.of(GUESTBOOK), List.of(again, WORKER))).containsExactly(
                new ValueChange(FILE, GUESTBOOK.subject(), "1.4.2", "2.1.0"), WORKER);
    }

    @Test
    void aValueBroughtBackToWhereItStartedIsDropped() {
        ValueChange back = new ValueChange(FILE, GUESTBOOK.subject(), "2.0.0", "1.4.2");

        assertThat(ChangeTrailers.fold(List.of(GUESTBOOK, WORKER), List.of(back))).containsExactly(WORKER);
    }
}
