package io.jenkins.plugins.gitops.core.update;

import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.GitRemote;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.git.WorkTreeEdit;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code gitops update --app}: one {@link GitTarget} of an Application cloned, edited, committed and pushed
 * race-safely, as {@code gitops update} does for a repository named by hand.
 */
public final class ApplicationUpdate {

    private ApplicationUpdate() {}

    /**
     * Checks the credentials against the repository's URL and the branch against its refs (before anything is
     * cloned), clones the branch with only the target's files on disk, derives the edit requests from them and runs
     * the update loop, which re-applies them on a new tip after a lost race.
     *
     * @param remote the repository's URL ({@link GitTarget#repoURL()}) with the credentials to use
     * @param options depth and push branch; the branch and the checkout paths come from the target
     * @param checkout an absent or empty directory to clone into
     * @throws TargetRefusedException when the credentials or the branch do not fit (nothing was cloned)
     * @throws JournalledEdits.ImageNotFoundException when no source's files reference the image (nothing pushed)
     */
    public static UpdateResult run(GitTarget target, EditRequest base, GitRemote remote, CloneOptions options,
                                   Path checkout, UpdateLoop loop, GitProgress progress) {
        return publish(target, base, remote, options, checkout, progress, loop::run);
    }

    /** What is done with the clone once the edit is derived from its files: the update loop's push, a pull request. */
    @FunctionalInterface
    public interface Publication<R, E extends Exception> {
        /**
         * @param edit the Application's edit, to apply (and apply again on a new tip after a lost race)
         * @throws E what the publication may throw (a wait for a review interrupted)
         */
        R publish(JGitConfigRepository repository, WorkTreeEdit edit) throws E;
    }

    /**
     * As {@link #run}, handing the clone and the edit to {@code publication} (for example a
     * {@link io.jenkins.plugins.gitops.core.pullrequest.PullRequestFlow}) instead of pushing to the branch.
     */
    public static <R, E extends Exception> R publish(GitTarget target, EditRequest base, GitRemote remote,
            CloneOptions options, Path checkout, GitProgress progress, Publication<R, E> publication) throws E {
        target.requireCredentialsFit(remote.credentials());
        target.requireBranch(JGitConfigRepository.remoteRefNames(remote, progress));
        CloneOptions clone = target.branch().map(options::withBranch).orElse(options)
                .withCheckoutPaths(target.checkoutPaths());
        try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(checkout, remote, clone, progress)) {
            List<EditRequest> requests = target.requests(repository.workTree(), base);
            if (requests.isEmpty()) {
                throw new JournalledEdits.ImageNotFoundException("No source of Application '" + target.app() + "' in "
                        + target.describe() + " references " + base.updates().get(0).image() + "; nothing was pushed.");
            }
            List<JournalledEdits.Entry> entries = requests.stream()
                    .map(request -> new JournalledEdits.Entry("", request, List.of()))
                    .toList();
            return publication.publish(repository, JournalledEdits.replay(entries, Optional.of(target.app())));
        }
    }
}
