/**
 * Argo CD: the application model, the REST client ({@link io.jenkins.plugins.gitops.core.argocd.ArgoCdClient}),
 * and {@link io.jenkins.plugins.gitops.core.argocd.SyncWaiter}, which syncs an application and waits until it runs
 * an expected commit, Synced and Healthy.
 *
 * <p>The waiter drives an {@link io.jenkins.plugins.gitops.core.argocd.ApplicationBackend}: the Argo CD API server
 * here, or the Application custom resource through the Kubernetes API (package {@code kube}). Both share the
 * done-condition, {@link io.jenkins.plugins.gitops.core.argocd.DoneCondition}.
 */
package io.jenkins.plugins.gitops.core.argocd;
