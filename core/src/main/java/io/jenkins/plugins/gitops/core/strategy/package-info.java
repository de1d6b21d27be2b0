/**
 * Update strategies: which version of an image to deploy, chosen from what its registry holds
 * ({@link io.jenkins.plugins.gitops.core.strategy.ImageResolver}), as Argo CD Image Updater's {@code semver},
 * {@code newest-build}, {@code digest} and {@code alphabetical} strategies choose it.
 */
package io.jenkins.plugins.gitops.core.strategy;
