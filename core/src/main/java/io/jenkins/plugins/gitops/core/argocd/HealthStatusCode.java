package io.jenkins.plugins.gitops.core.argocd;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Argo CD health status; values a newer server invents read as {@link #Unknown}. */
public enum HealthStatusCode {
    Healthy,
    Progressing,
    Degraded,
    Suspended,
    Missing,
    @JsonEnumDefaultValue
    Unknown
}
