package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import io.jenkins.plugins.gitops.core.update.TargetRefusedException;
import java.util.List;

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
