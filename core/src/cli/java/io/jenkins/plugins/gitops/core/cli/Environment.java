package io.jenkins.plugins.gitops.core.cli;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variables a run reads (credentials, {@code ARGOCD_SERVER}, {@code BUILD_URL}, ...): the process
 * environment in {@link Main#main}, a given map in tests.
 */
record Environment(Map<String, String> variables) {

    Environment {
        variables = Map.copyOf(variables);
    }

    static Environment ofProcess() {
        return new Environment(System.getenv());
    }

    /** The variable's value; an empty value counts as unset, as in most shells' {@code ${VAR:-default}}. */
    Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isEmpty());
    }
}
