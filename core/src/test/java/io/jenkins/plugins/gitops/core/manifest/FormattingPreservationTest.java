package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Everything but the target value survives byte for byte. */
class FormattingPreservationTest extends ConfigRepoTestCase {

    @Test
    void keepsCrlfLineEndingsEverywhere() {
        String crlf = "apiVersion: apps/v1\r\nkind: Deployment\r\nmetadata:\r\n  name: web # comment\r\nspec:\r\n  template:\r\n"
                + "    spec:\r\n      containers:\r\n      - name: web\r\n        image: nginx:1.25 # pinned\r\n";
        repo.write("deploy.yaml", crlf);

        repo.apply(ImageUpdate.tag("nginx", "1.26"));

        assertThat(repo.read("deploy.yaml")).isEqualTo(crlf.replace("nginx:1.25", "nginx:1.26"));
    }

    @Test
    void insertsNewLinesWithTheFilesCrlfEndings() {
        repo.write("kustomization.yaml", "images:\r\n- name: api\r\n  newName: ghcr.io/acme/api\r\n");

        repo.apply(ImageUpdate.tag("api", "2"));

        assertThat(repo.read("kustomization.yaml"))
                .isEqualTo("images:\r\n- name: api\r\n  newName: ghcr.io/acme/api\r\n  newTag: \"2\"\r\n");
    }

    @Test
    void keepsAByteOrderMark() throws Exception {
        repo.writeBytes("values.yaml", "\uFEFFimage:\n  repository: nginx\n  tag: \"1.25\"\n".getBytes(StandardCharsets.UTF_8));

        repo.apply(ImageUpdate.tag("nginx", "1.26"));

        assertThat(Files.readAllBytes(dir.resolve("values.yaml")))
                .isEqualTo("\uFEFFimage:\n  repository: nginx\n  tag: \"1.26\"\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsBlockScalarsAnchorsSeparatorsAndBlankLines() {
        String original = """
                --- # first

                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cfg
                data:
                  script: |
                    image=nginx:1.25
                      indented   \s
                ...
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: &meta
                  labels: {app: web}
                spec:
                  template:
                    metadata: *meta
                    spec:
                      containers:
                        - name: web   # name


                          image: 'nginx:1.25'    # the one
                """;
        repo.write("all.yaml", original);

        repo.apply(ImageUpdate.tag("nginx", "1.26"));

        assertThat(repo.read("all.yaml")).isEqualTo(original.replace("'nginx:1.25'", "'nginx:1.26'"));
    }

    @Test
    void editsJsonInPlace() {
        String json = "{\n  \"kind\": \"StatefulSet\",\n  \"apiVersion\": \"apps/v1\",\n  \"spec\": {\"template\": {\"spec\": {\n"
                + "    \"containers\": [{\"name\": \"es\", \"image\": \"docker.elastic.co/elasticsearch/elasticsearch:7.9.2\"}],\n"
                + "    \"initContainers\": [{\"name\": \"init\", \"image\": \"busybox\"}]}}},\n"
                + "  \"metadata\": {\"annotations\": {\"last\": \"{\\\"image\\\":\\\"busybox\\\"}\"}}\n}";
        repo.write("sts.json", json);

        repo.apply(ImageUpdate.tag("busybox", "1.37"));

        assertThat(repo.read("sts.json")).isEqualTo(json.replace("\"image\": \"busybox\"", "\"image\": \"busybox:1.37\""));
    }

    @Test
    void keepsNonAsciiCommentsAndAMissingFinalNewline() {
        String original = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 파드 # 한국어 주석\nspec:\n  containers:\n"
                + "  - name: used\n    image: used:v1.0.0 # the comment must stay!";
        repo.write("pod.yaml", original);

        repo.apply(ImageUpdate.tag("used", "v1.0.1"));

        assertThat(repo.read("pod.yaml")).isEqualTo(original.replace("used:v1.0.0", "used:v1.0.1"));
    }
}
