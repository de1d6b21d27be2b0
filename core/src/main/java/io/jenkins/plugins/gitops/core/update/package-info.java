/**
 * The bridge between the manifest editor and the git update loop: the pending-edits journal's entry format, and the
 * re-application of journalled edits after a lost push race. Kept apart so that {@code git} never depends on
 * {@code manifest}.
 */
package io.jenkins.plugins.gitops.core.update;
