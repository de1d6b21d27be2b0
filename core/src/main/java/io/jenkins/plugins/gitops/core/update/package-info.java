/**
 * The bridge between the manifest editor and the git update loop: the pending-edits journal's entry format, the
 * re-application of journalled edits after a lost push race, and where an Argo CD Application keeps its image in git
 * ({@link io.jenkins.plugins.gitops.core.update.ApplicationTargets}). Kept apart so that {@code git} never depends on
 * {@code manifest}.
 */
package io.jenkins.plugins.gitops.core.update;
