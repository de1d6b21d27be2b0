package io.jenkins.plugins.gitops.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    private static final String SHA = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void parsesRegistryWithPortPathTagAndDigest() {
        ImageReference reference = ImageReference.parse("localhost:5000/team/app:1.2.3@" + SHA);

        assertThat(reference.registry()).isEqualTo("localhost:5000");
        assertThat(reference.path()).isEqualTo("team/app");
        assertThat(reference.tag()).isEqualTo("1.2.3");
        assertThat(reference.digest()).isEqualTo(SHA);
        assertThat(reference.identity()).isEqualTo("localhost:5000/team/app");
    }

    @Test
    void readsAFirstComponentWithoutDotColonOrLocalhostAsPath() {
        ImageReference reference = ImageReference.parse("bitnami/nginx:1.25");

        assertThat(reference.registry()).isNull();
        assertThat(reference.path()).isEqualTo("bitnami/nginx");
        assertThat(reference.identity()).isEqualTo("docker.io/bitnami/nginx");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "library/nginx", "docker.io/library/nginx", "index.docker.io/library/nginx",
            "docker.io/nginx:1.25", "nginx@" + SHA})
    void normalisesDockerHubNamesToOneIdentity(String written) {
        assertThat(ImageReference.parse(written).identity()).isEqualTo("docker.io/library/nginx");
    }

    @Test
    void keepsOtherRegistriesDistinct() {
        assertThat(ImageReference.parse("ghcr.io/nginx").sameImage(ImageReference.parse("nginx"))).isFalse();
        assertThat(ImageReference.parse("localhost/app").registry()).isEqualTo("localhost");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "nginx:1.25", "quay.io/argoproj/argocd:v3.0.0", "localhost:5000/app@" + SHA,
            "registry.k8s.io/ingress-nginx/controller:v1.15.1@" + SHA, "a__b/c--d.e_f:T_a.g-1", "[::1]:5000/app:1"})
    void formatsBackExactlyAsWritten(String written) {
        assertThat(ImageReference.parse(written)).hasToString(written);
    }

    @Test
    void replacesNameTagAndDigestIndependently() {
        ImageReference reference = ImageReference.parse("nginx:1.0");

        assertThat(reference.withTag("1.1")).hasToString("nginx:1.1");
        assertThat(reference.withDigest(SHA)).hasToString("nginx:1.0@" + SHA);
        assertThat(reference.withName("ghcr.io/acme/nginx")).hasToString("ghcr.io/acme/nginx:1.0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Library/Nginx:1.0|repository 'Library/Nginx' must be lowercase",
            "nginx:1.0+build|tag '1.0+build' has invalid characters",
            "nginx:-1|tag '-1' has invalid characters",
            "nginx@md5:0123456789abcdef0123456789abcdef|digest algorithm 'md5' is not supported",
            "nginx@sha256:abc123|sha256 digest must have 64 hex characters, got 6",
            "nginx@sha256:XYZ|must be lowercase hexadecimal",
            "nginx:|the tag after ':' is empty",
            "nginx@|the digest after '@' is empty",
            "nginx//x|empty path component",
            "my registry/app|whitespace or a control character at position 3",
            "' nginx'|whitespace or a control character at position 1",
            "host:port/app|registry port 'port' is not a number",
            ":1.0|the repository name is empty"})
    void rejectsMalformedReferencesNamingTheBadPart(String written, String message) {
        assertThatThrownBy(() -> ImageReference.parse(written))
                .isInstanceOf(InvalidImageReferenceException.class)
                .hasMessageContaining("'" + written + "'")
                .hasMessageContaining(message);
    }

    @Test
    void rejectsATagOver128Characters() {
        String tag = "a".repeat(129);

        assertThatThrownBy(() -> ImageReference.parse("nginx:" + tag))
                .hasMessageContaining("tag is 129 characters long; the limit is 128");
        assertThat(ImageReference.parse("nginx:" + "a".repeat(128)).tag()).hasSize(128);
    }

    @Test
    void rejectsADigestWrittenAsATagAndShowsTheFix() {
        assertThatThrownBy(() -> ImageReference.parse("nginx:" + SHA))
                .isInstanceOf(InvalidImageReferenceException.class)
                .hasMessageContaining("a digest is written as a tag")
                .hasMessageContaining("'nginx@" + SHA + "'");
    }

    @Test
    void rejectsEmptyInput() {
        assertThatThrownBy(() -> ImageReference.parse("")).hasMessageContaining("the reference is empty");
        assertThatThrownBy(() -> ImageReference.parse(null)).hasMessageContaining("the reference is empty");
    }
}
