package io.jenkins.plugins.gitops.core.pullrequest;

import java.util.List;
import java.util.Objects;

/**
 * The pull request to open, or to bring the open one to.
 *
 * @param head   the branch with the changes
 * @param base   the branch to merge into
 * @param title  its title
 * @param body   its description (Markdown)
 * @param labels labels to add; existing ones stay
 * @param draft  open it as a draft (GitLab: a {@code Draft:} title; Gitea: a {@code WIP:} title). Only on creation:
 *               an open pull request keeps the draft state its reviewers gave it
 */
public record PullRequestSpec(String head, String base, String title, String body, List<String> labels, boolean draft) {

    public PullRequestSpec {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        labels = List.copyOf(labels);
        if (head.equals(base)) {
            throw new PullRequestException(PullRequestException.Kind.BAD_INPUT,
                    "The pull request's branch and its base are both '" + head + "'; push to a branch of its own.");
        }
        if (title.isBlank()) {
            throw new PullRequestException(PullRequestException.Kind.BAD_INPUT, "The pull request's title is empty.");
        }
    }
}
