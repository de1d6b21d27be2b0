package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.update.TargetRefusedException;
import java.util.List;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequest;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestException;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestFlow;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.util.Optional;

/**
 * How {@code push} and {@code update} report: the pushed commit alone on stdout (so that {@code SHA=$(gitops update
 * ...)} works), nothing there when there was nothing to push, the details on stderr.
 */
final class PushResultPrinter {

    private final Console console;

    PushResultPrinter(Console console) {
        this.console = console;
    }

    int result(UpdateResult result) {
        if (result instanceof UpdateResult.Pushed pushed) {
            // the engine's progress has said "Pushed <sha> to <branch>" on stderr already
            console.message("changed " + String.join(", ", pushed.files()));
            console.result(pushed.commit());
            ObjectNode node = Console.object("PUSHED", ExitCode.OK);
            node.put("commit", pushed.commit());
            node.put("branch", pushed.branch());
            node.put("attempts", pushed.attempts());
            pushed.files().forEach(node.putArray("files")::add);
            console.result(node);
            return ExitCode.OK.code();
        }
        // the engine's progress has given the reason on stderr already
        UpdateResult.NoChange none = (UpdateResult.NoChange) result;
        ObjectNode node = Console.object("NOTHING_TO_CHANGE", ExitCode.NOTHING_TO_CHANGE);
        node.put("branch", none.branch());
        node.put("attempts", none.attempts());
        node.put("message", none.reason());
        console.result(node);
        return ExitCode.NOTHING_TO_CHANGE.code();
    }

    /**
     * The results of one run that pushed to several repositories or branches (an application whose sources live in
     * more than one): each pushed commit on a line of stdout, one JSON object with a {@code pushes} entry each.
     */
    int results(List<UpdateResult> results) {
        if (results.size() == 1) {
            return result(results.get(0));
        }
        boolean pushedAny = results.stream().anyMatch(UpdateResult.Pushed.class::isInstance);
        ExitCode exit = pushedAny ? ExitCode.OK : ExitCode.NOTHING_TO_CHANGE;
        ObjectNode node = Console.object(pushedAny ? "PUSHED" : "NOTHING_TO_CHANGE", exit);
        ArrayNode pushes = node.putArray("pushes");
        for (UpdateResult result : results) {
            ObjectNode push = pushes.addObject().put("branch", result.branch()).put("attempts", result.attempts());
            if (result instanceof UpdateResult.Pushed pushed) {
                console.message("changed " + String.join(", ", pushed.files()));
                console.result(pushed.commit());
                push.put("outcome", "PUSHED").put("commit", pushed.commit());
                pushed.files().forEach(push.putArray("files")::add);
            } else {
                push.put("outcome", "NOTHING_TO_CHANGE").put("message", ((UpdateResult.NoChange) result).reason());
            }
        }
        console.result(node);
        return exit.code();
    }

    /**
     * The pull request path: its URL on stdout, or with a merge waited for, the merge commit (what to deploy);
     * nothing there when no pull request was opened.
     */
    int pullRequest(PullRequestFlow.Outcome outcome, Optional<PullRequest> merged) {
        if (outcome instanceof PullRequestFlow.Outcome.NothingToChange none) {
            ObjectNode node = Console.object("NOTHING_TO_CHANGE", ExitCode.NOTHING_TO_CHANGE);
            node.put("branch", none.branch());
            node.put("message", none.reason());
            console.result(node);
            return ExitCode.NOTHING_TO_CHANGE.code();
        }
        PullRequestFlow.Outcome.Opened opened = (PullRequestFlow.Outcome.Opened) outcome;
        PullRequest pr = merged.orElse(opened.pullRequest());
        console.result(merged.flatMap(PullRequest::mergeCommit).orElse(pr.url()));
        ObjectNode node = Console.object(merged.isPresent() ? "MERGED" : opened.created() ? "PULL_REQUEST_OPENED" : "PULL_REQUEST_UPDATED",
                ExitCode.OK);
        node.put("url", pr.url());
        node.put("number", pr.number());
        node.put("branch", opened.branch());
        node.put("base", pr.base());
        node.put("commit", opened.commit());
        node.put("created", opened.created());
        node.put("pushed", opened.pushed());
        merged.flatMap(PullRequest::mergeCommit).ifPresent(sha -> node.put("mergeCommit", sha));
        console.result(node);
        return ExitCode.OK.code();
    }

    int failure(RuntimeException e) {
        return console.fail(failureOf(e));
    }

    private static Failure failureOf(RuntimeException e) {
        if (e instanceof GitOperationException git) {
            ExitCode exit = switch (git.kind()) {
                case AUTHENTICATION, HOST_KEY -> ExitCode.AUTH_FAILED;
                case PUSH_REJECTED -> ExitCode.PUSH_REJECTED;
                case ATTEMPTS_EXHAUSTED -> ExitCode.ATTEMPTS_EXHAUSTED;
                case BAD_INPUT -> ExitCode.BAD_INPUT;
                case TRANSPORT -> ExitCode.FAILURE;
            };
            return new Failure(exit, Failure.kebab(git.kind().name()), e.getMessage());
        }
        if (e instanceof PullRequestException pr) {
            ExitCode exit = switch (pr.kind()) {
                case AUTHENTICATION -> ExitCode.AUTH_FAILED;
                case NOT_FOUND, BAD_INPUT -> ExitCode.BAD_INPUT;
                case CLOSED_UNMERGED -> ExitCode.PULL_REQUEST_CLOSED;
                case TIMEOUT -> ExitCode.TIMEOUT;
                case NOTHING_TO_MERGE -> ExitCode.NOTHING_TO_CHANGE;
                case RATE_LIMITED, API -> ExitCode.FAILURE;
            };
            return new Failure(exit, Failure.kebab(pr.kind().name()), e.getMessage());
        }
        if (e instanceof JournalledEdits.ImageNotFoundException) {
            return new Failure(ExitCode.IMAGE_NOT_FOUND, "image-not-found", e.getMessage());
        }
        if (e instanceof ManifestEditException edit) {
            return Failure.of(edit);
        }
        if (e instanceof IllegalArgumentException) {
            return Failure.badArgument(e.getMessage());
        }
        if (e instanceof TargetRefusedException || e instanceof ArgoCdException) {
            return Failure.of(e);
        }
        throw e;
    }
}
