package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.manifest.EditReport.Outcome;
import org.junit.jupiter.api.Test;

class KustomizationEditTest extends ConfigRepoTestCase {

    private static final String SHA = "sha256:" + "ab".repeat(32);

    @Test
    void setsNewTagOfTheEntryNamedByTheImage() {
        repo.write("app/kustomization.yaml", """
                resources:
                - deployment.yaml
                images:
                - name: ghcr.io/acme/api   # the API
                  newTag: 1.4.2
                - name: redis
                  newTag: "7.0"
                """);

        EditReport report = repo.apply(ImageUpdate.tag("ghcr.io/acme/api", "1.4.3"));

        assertThat(report.outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(report.changes()).singleElement().satisfies(change -> {
            assertThat(change.file()).isEqualTo("app/kustomization.yaml");
            assertThat(change.line()).isEqualTo(5);
            assertThat(change.kind()).isEqualTo(TargetKind.KUSTOMIZATION);
            assertThat(change.field()).isEqualTo("images[name=ghcr.io/acme/api].newTag");
            assertThat(change.oldValue()).isEqualTo("1.4.2");
            assertThat(change.newValue()).isEqualTo("1.4.3");
        });
        assertThat(repo.read("app/kustomization.yaml")).isEqualTo("""
                resources:
                - deployment.yaml
                images:
                - name: ghcr.io/acme/api   # the API
                  newTag: 1.4.3
                - name: redis
                  newTag: "7.0"
                """);
    }

    @Test
    void matchesTheEntryByNormalisedIdentity() {
        repo.write("kustomization.yaml", """
                images:
                  - name: docker.io/library/nginx
                    newTag: 1.25.0
                """);

        repo.apply(ImageUpdate.tag("nginx", "1.25.1"));

        assertThat(repo.read("kustomization.yaml")).contains("    newTag: 1.25.1\n");
    }

    @Test
    void aNewTagDropsAnOldDigest() {
        repo.write("kustomization.yaml", """
                images:
                - name: api
                  newTag: v1
                  digest: %s
                  # trailing comment stays
                """.formatted(SHA));

        EditReport report = repo.apply(ImageUpdate.tag("api", "v2"));

        assertThat(repo.read("kustomization.yaml")).isEqualTo("""
                images:
                - name: api
                  newTag: v2
                  # trailing comment stays
                """);
        assertThat(report.changes()).extracting(Change::field, Change::oldValue, Change::newValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple("images[name=api].newTag", "v1", "v2"),
                org.assertj.core.groups.Tuple.tuple("images[name=api].digest", SHA, null));
    }

    @Test
    void aNewDigestDropsAnOldTag() {
        repo.write("kustomization.yaml", """
                images:
                - name: api
                  newName: ghcr.io/acme/api
                  newTag: v1
                """);

        repo.apply(new ImageUpdate("api", null, null, SHA));

        assertThat(repo.read("kustomization.yaml")).isEqualTo("""
                images:
                - name: api
                  newName: ghcr.io/acme/api
                  digest: %s
                """.formatted(SHA));
    }

    @Test
    void tagAndDigestTogetherKeepBoth() {
        repo.write("kustomization.yaml", """
                images:
                - name: api
                  newTag: v1
                """);

        repo.apply(new ImageUpdate("api", null, "v2", SHA));

        assertThat(repo.read("kustomization.yaml")).isEqualTo("""
                images:
                - name: api
                  newTag: v2
                  digest: %s
                """.formatted(SHA));
    }

    @Test
    void editsFlowStyleEntriesInPlace() {
        repo.write("kustomization.yaml", "images:\n- {name: api, newTag: v1, digest: %s}\n- {name: web}\n".formatted(SHA));

        repo.apply(ImageUpdate.tag("api", "v2"));
        repo.apply(ImageUpdate.tag("web", "v9"));

        assertThat(repo.read("kustomization.yaml")).isEqualTo("images:\n- {name: api, newTag: v2}\n- {name: web, newTag: v9}\n");
    }

    @Test
    void setsANewNameAfterTheNameKey() {
        repo.write("kustomization.yaml", """
                images:
                - name: redis
                  newTag: "7.2"
                """);

        repo.apply(new ImageUpdate("redis", "public.ecr.aws/docker/library/redis", null, null));

        assertThat(repo.read("kustomization.yaml")).isEqualTo("""
                images:
                - name: redis
                  newName: public.ecr.aws/docker/library/redis
                  newTag: "7.2"
                """);
    }

    @Test
    void aRenameReappliedToAnEntryAlreadyNamedSoAddsNoNewName() {
        String kustomization = """
                images:
                - name: ghcr.io/example-org/guestbook
                  newTag: "1.4.2"   # promoted from staging
                """;
        repo.write("kustomization.yaml", kustomization);

        EditReport report = repo.apply(new ImageUpdate("docker.io/example/guestbook", "ghcr.io/example-org/guestbook", null, null));

        assertThat(report.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(report.images()).containsExactly(
                new EditReport.ImageResult("docker.io/example/guestbook", Outcome.UNCHANGED, 1));
        assertThat(report.changes()).isEmpty();
        assertThat(repo.read("kustomization.yaml")).isEqualTo(kustomization);
    }

    @Test
    void addsAnEntryInTheFilesStyleWhenNoneMatches() {
        repo.write("kustomization.yaml", """
                images:
                  - newTag: "1"
                    name: other
                """);

        EditReport report = repo.apply(EditRequest.of(ImageUpdate.tag("api", "2.0")).withKind(TargetKind.KUSTOMIZATION));

        assertThat(report.outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(repo.read("kustomization.yaml")).isEqualTo("""
                images:
                  - newTag: "1"
                    name: other
                  - newTag: "2.0"
                    name: "api"
                """);
    }

    @Test
    void createsTheImagesKeyWhenAbsent() {
        repo.write("overlays/prod/kustomization.yaml", "resources:\n- ../../base");

        repo.apply(EditRequest.of(ImageUpdate.tag("ghcr.io/acme/api", "1.0.0")).withKind(TargetKind.KUSTOMIZATION));

        assertThat(repo.read("overlays/prod/kustomization.yaml")).isEqualTo("""
                resources:
                - ../../base
                images:
                - name: ghcr.io/acme/api
                  newTag: 1.0.0""");
    }

    @Test
    void autoModeNeverAddsEntries() {
        repo.write("kustomization.yaml", "images:\n- name: other\n  newTag: \"1\"\n");

        EditReport report = repo.apply(ImageUpdate.tag("api", "2"));

        assertThat(report.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(repo.read("kustomization.yaml")).isEqualTo("images:\n- name: other\n  newTag: \"1\"\n");
    }

    @Test
    void keepsFluxSetterMarkersOnEditedLines() {
        repo.write("kustomization.yml", """
                images:
                - name: podinfo
                  newName: ghcr.io/stefanprodan/podinfo # {"$imagepolicy": "flux-system:podinfo:name"}
                  newTag: 5.0.0 # {"$imagepolicy": "flux-system:podinfo:tag"}
                """);

        repo.apply(ImageUpdate.tag("podinfo", "6.0.0"));

        assertThat(repo.read("kustomization.yml"))
                .contains("  newTag: 6.0.0 # {\"$imagepolicy\": \"flux-system:podinfo:tag\"}\n");
    }
}
