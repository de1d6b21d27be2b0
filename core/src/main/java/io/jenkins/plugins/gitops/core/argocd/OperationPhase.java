package io.jenkins.plugins.gitops.core.argocd;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** {@code status.operationState.phase}; values a newer server invents read as {@link #Unknown}. */
public enum OperationPhase {
    Running,
    Terminating,
    Succeeded,
    Failed,
    Error,
    @JsonEnumDefaultValue
    Unknown;

    /** Succeeded, Failed or Error: the operation will not change any more. */
    public boolean terminal() {
        return this == Succeeded || this == Failed || this == Error;
    }
}
