package io.jenkins.plugins.gitops.core.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The name Argo CD reads an app's write-back file under, as argo-cd v3.5.1's {@code Application.InstanceName}
 * (pkg/apis/application/v1alpha1/types.go:4132) computes it from the app's namespace and the controller's.
 */
class ApplicationInstanceNameTest {

    private static Application app(String namespace, String controllerNamespace) {
        return ApplicationJson.parse("""
                {"metadata":{"name":"guestbook"%s},"status":{%s}}""".formatted(
                namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"",
                controllerNamespace == null ? "" : "\"controllerNamespace\":\"" + controllerNamespace + "\""));
    }

    @ParameterizedTest(name = "app in {0}, controller in {1}: {2}")
    @CsvSource(nullValues = "-", value = {
            "argocd, argocd, guestbook",
            "team-a, argocd, team-a_guestbook",
            "argocd, gitops-system, argocd_guestbook",
            "-, argocd, guestbook",
            "-, -, guestbook",
            "team-a, -, -"})
    void isTheNameInTheControlPlaneNamespaceAndNamespaceUnderscoreNameElsewhere(String namespace,
            String controllerNamespace, String expected) {
        assertThat(app(namespace, controllerNamespace).instanceName()).isEqualTo(Optional.ofNullable(expected));
    }
}
