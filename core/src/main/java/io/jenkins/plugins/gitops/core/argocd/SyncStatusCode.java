package io.jenkins.plugins.gitops.core.argocd;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** {@code status.sync.status}; values a newer server invents read as {@link #Unknown}. */
public enum SyncStatusCode {
    Synced,
    OutOfSync,
    @JsonEnumDefaultValue
    Unknown
}
