package io.jenkins.plugins.gitops;

import com.fasterxml.jackson.core.JsonProcessingException;
import hudson.AbortException;
import hudson.Util;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationJson;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.update.ApplicationTargets;
import io.jenkins.plugins.gitops.core.update.GitTarget;
import io.jenkins.plugins.gitops.core.update.SourceTarget;
import io.jenkins.plugins.gitops.core.update.TargetRefusedException;
import io.jenkins.plugins.gitops.credentials.BuildCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code gitopsSetImage app: 'guestbook'} without {@code repo}: the repository, branch, paths and kind of source are
 * read from the Argo CD Application ({@link ApplicationTargets}). The Application is read here, on the controller,
 * exactly where and as {@code gitopsSync} reads it (an administrator's server, a kubeconfig credential, or the
 * in-cluster access an administrator allowed); what the agent receives is the Application's spec as JSON, from which it
 * derives the same {@link GitTarget} next to the files ({@link #target}). Git credentials still come from
 * {@code credentialsId}.
 *
 * @param repoURL the repository to clone, as the Application names it
 * @param branch the branch given to the step, which replaces the Application's {@code targetRevision}; null for the
 *     Application's own
 * @param json the Application (metadata, spec and the controller's namespace) for the agent
 * @param application where the Application was reached, for a later {@code gitopsSync} without arguments
 */
record ApplicationEdit(String repoURL, String branch, String json, GitopsDeploymentAction.ApplicationTarget application) {

    private static final long CALL_TIMEOUT_SECONDS = 120;

    /** Whether the step names its files through the Application: {@code app} without {@code repo}. */
    static boolean applies(GitopsSetImageStep args) {
        return Util.fixEmptyAndTrim(args.getApp()) != null && Util.fixEmptyAndTrim(args.getRepo()) == null;
    }

    /**
     * Reads the Application and checks that its image can be edited in one checkout.
     *
     * @throws AbortException saying why not: the Application cannot be reached or read, keeps nothing of the image in
     *     git (a chart from a Helm or OCI repository), is pinned to a commit, or spreads it over several repositories
     */
    static ApplicationEdit resolve(GitopsSetImageStep args, EditRequest request, BuildCredentials credentials,
            PrintStream log) throws IOException, InterruptedException {
        SyncSettings settings = SyncSettings.of(ApplicationArguments.of(args));
        Application application;
        try (ApplicationSync connection = ApplicationSync.open(settings, credentials)) {
            log.println(Messages.ApplicationEdit_reading(settings.applicationRef(), connection.describe()));
            application = connection.read().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = ApplicationSync.forBuild(e.getCause());
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (TimeoutException e) {
            throw new AbortException(Messages.ApplicationEdit_timeout(settings.applicationRef(), CALL_TIMEOUT_SECONDS));
        }
        String branch = Util.fixEmptyAndTrim(args.getBranch());
        // What the targets depend on: the spec, and the controller's namespace for the write-back file's name.
        Application spec = new Application(application.metadata(), application.spec(), new Application.Status(
                null, null, null, null, null, application.status().controllerNamespace()), null);
        List<GitTarget> targets = targets(spec, request, branch);
        if (targets.size() > 1) {
            throw new AbortException(Messages.ApplicationEdit_severalRepositories(settings.app, targets.size(),
                    targets.stream().map(GitTarget::describe).collect(Collectors.joining("; "))));
        }
        GitTarget target = targets.get(0);
        log.println(Messages.ApplicationEdit_target(settings.app, target.describe(),
                target.sources().stream().map(SourceTarget::label).collect(Collectors.joining(", "))));
        String json;
        try {
            json = ApplicationJson.mapper().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IOException("Cannot write application " + settings.app + " as JSON", e);
        }
        return new ApplicationEdit(target.repoURL(), branch, json, settings.applicationTarget());
    }

    /**
     * The repository and branch to edit, derived again where the checkout is from what {@link #resolve} read, so that
     * the agent decides the kind of each source from its files.
     *
     * @throws AbortException when the Application's image cannot be edited in git (the message says why)
     */
    static GitTarget target(String json, EditRequest request, String branch) throws AbortException {
        return targets(ApplicationJson.parse(json), request, branch).get(0);
    }

    private static List<GitTarget> targets(Application application, EditRequest request, String branch)
            throws AbortException {
        try {
            return ApplicationTargets.resolve(application, request.updates().get(0), Optional.ofNullable(branch));
        } catch (TargetRefusedException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
