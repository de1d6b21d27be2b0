/**
 * Redaction of secrets: {@link io.jenkins.plugins.gitops.core.redaction.Redaction} is the one function every message,
 * JSON field, progress line and exception text passes through before it leaves the process, and the registry of the
 * secrets the process holds. Plain Java, so that the Jenkins plugin uses it as the command line does.
 */
package io.jenkins.plugins.gitops.core.redaction;
