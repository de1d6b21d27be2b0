package io.jenkins.plugins.gitops.core.argocd;

/** A running watch. Closing it stops the stream and frees its connection; it never throws and is idempotent. */
@FunctionalInterface
public interface WatchHandle extends AutoCloseable {

    @Override
    void close();
}
