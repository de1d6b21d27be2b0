package io.jenkins.plugins.gitops.core.testing.argocd;

/**
 * One place where a JSON body does not match the Argo CD API contract.
 *
 * @param subject what was checked, e.g. {@code "response GET /api/v1/applications/{name} 200"}
 * @param pointer JSON pointer of the offending value ({@code ""} for the whole body)
 * @param problem what is wrong, e.g. {@code "unknown property 'revison'"}
 */
public record ContractViolation(String subject, String pointer, String problem) {

    @Override
    public String toString() {
        return subject + ": at '" + pointer + "': " + problem;
    }
}
