/**
 * Commit through a pull (merge) request: a provider-neutral model ({@link io.jenkins.plugins.gitops.core.pullrequest.PullRequest}),
 * clients of the GitHub, GitLab and Gitea/Forgejo APIs on the JDK {@code HttpClient}, the upsert that reuses the open
 * pull request of a head branch, and the asynchronous wait for its merge. Tokens travel in request headers only and are
 * registered with {@link io.jenkins.plugins.gitops.core.redaction.Redaction}.
 */
package io.jenkins.plugins.gitops.core.pullrequest;
