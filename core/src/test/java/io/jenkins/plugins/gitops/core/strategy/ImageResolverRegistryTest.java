package io.jenkins.plugins.gitops.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.registry.Platform;
import io.jenkins.plugins.gitops.core.registry.RegistryClient;
import io.jenkins.plugins.gitops.core.registry.RegistryException;
import io.jenkins.plugins.gitops.core.registry.RequestKind;
import io.jenkins.plugins.gitops.core.strategy.Candidate.Verdict;
import io.jenkins.plugins.gitops.core.testing.registry.LocalRegistry;
import io.jenkins.plugins.gitops.core.testing.registry.OciImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every strategy and filter against the real distribution registry, with images pushed by skopeo. */
class ImageResolverRegistryTest {

    private static final OciImage JANUARY = OciImage.single(Instant.parse("2024-01-01T00:00:00Z"), "linux/amd64");
    private static final OciImage FEBRUARY = OciImage.single(Instant.parse("2024-02-01T00:00:00Z"), "linux/amd64");
    private static final OciImage MARCH = OciImage.single(Instant.parse("2024-03-01T00:00:00Z"), "linux/amd64");
    /** Two platforms: amd64 built in May, arm64 in June. */
    private static final OciImage MULTI = OciImage.index(List.of(
            OciImage.single(Instant.parse("2024-05-01T00:00:00Z"), "linux/amd64"),
            OciImage.single(Instant.parse("2024-06-01T00:00:00Z"), "linux/arm64/v8")));
    /** The newest build of all, but for arm64 only. */
    private static final OciImage ARM_ONLY = OciImage.single(Instant.parse("2024-07-01T00:00:00Z"), "linux/arm64/v8");

    @TempDir
    static Path dir;
    static LocalRegistry registry;

    @BeforeAll
    static void startAndPush() throws Exception {
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.builder(dir.resolve("registry")).start();
        registry.push(JANUARY, "team/app", "1.0.0");
        registry.push(MARCH, "team/app", "1.4.2");
        registry.push(FEBRUARY, "team/app", "v1.5.0");
        registry.push(MULTI, "team/app", "2.0.0-rc.1");
        registry.push(ARM_ONLY, "team/app", "arm-only");
        registry.tag("team/app", "1.0.0", List.of("1.4.0", "build-20240101", "nightly"));
        registry.tag("team/app", "1.4.2", List.of("latest", "build-20240301"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private RegistryClient client() {
        return RegistryClient.builder().insecureRegistries(List.of(registry.address())).build();
    }

    private ResolveRequest request(UpdateStrategy strategy) {
        return ResolveRequest.of(ImageReference.parse(registry.image("team/app")), strategy);
    }

    private static Resolution.Chosen chosen(Resolution resolution) {
        assertThat(resolution).as(resolution.reason()).isInstanceOf(Resolution.Chosen.class);
        return (Resolution.Chosen) resolution;
    }

    @Test
    void semverChoosesTheHighestReleaseFromTheTagListAlone() {
        RegistryClient client = client();

        Resolution.Chosen result = chosen(new ImageResolver(client).resolve(request(UpdateStrategy.SEMVER)));

        assertThat(result.tag()).isEqualTo("v1.5.0");
        assertThat(result.reference().toString()).isEqualTo(registry.image("team/app") + ":v1.5.0");
        assertThat(result.digest()).isNull();
        assertThat(result.candidates()).extracting(Candidate::tag, Candidate::verdict).contains(
                org.assertj.core.groups.Tuple.tuple("2.0.0-rc.1", Verdict.OUTSIDE_CONSTRAINT),
                org.assertj.core.groups.Tuple.tuple("latest", Verdict.NOT_SEMVER),
                org.assertj.core.groups.Tuple.tuple("1.4.2", Verdict.ELIGIBLE));
        assertThat(client.requestCounts()).containsEntry(RequestKind.TAGS, 1L)
                .containsEntry(RequestKind.MANIFEST_HEAD, 0L).containsEntry(RequestKind.MANIFEST_GET, 0L);
    }

    @Test
    void semverConstraintsBoundTheChoice() {
        ImageResolver resolver = new ImageResolver(client());

        assertThat(chosen(resolver.resolve(request(UpdateStrategy.SEMVER).withConstraint(VersionConstraint.parse("~1.4")))).tag())
                .isEqualTo("1.4.2");
        assertThat(chosen(resolver.resolve(request(UpdateStrategy.SEMVER).withConstraint(VersionConstraint.parse(">=1.0 <1.4.2")))).tag())
                .isEqualTo("1.4.0");
        assertThat(chosen(resolver.resolve(request(UpdateStrategy.SEMVER).withConstraint(VersionConstraint.parse("^1.4")))).tag())
                .isEqualTo("v1.5.0");
    }

    @Test
    void semverChoosesAPrereleaseOnlyWhenTheConstraintNamesOne() {
        Resolution result = new ImageResolver(client()).resolve(
                request(UpdateStrategy.SEMVER).withConstraint(VersionConstraint.parse(">=2.0.0-rc.0")));

        assertThat(chosen(result).tag()).isEqualTo("2.0.0-rc.1");
    }

    @Test
    void noTagMatchingIsNoCandidateNamingTheCounts() {
        Resolution result = new ImageResolver(client()).resolve(
                request(UpdateStrategy.SEMVER).withConstraint(VersionConstraint.parse("^3")));

        assertThat(result).isInstanceOf(Resolution.NoCandidate.class);
        assertThat(((Resolution.NoCandidate) result).why()).isEqualTo(Resolution.Why.NOTHING_MATCHES);
        assertThat(result.reason()).contains("no tag of " + registry.address() + "/team/app", "semver ^3",
                "10 tag(s)", "5 outside the constraint", "5 not semantic versions");
    }

    @Test
    void theCurrentVersionBeingTheNewestIsNoCandidate() {
        ResolveRequest current = new ResolveRequest(ImageReference.parse(registry.image("team/app") + ":v1.5.0"),
                UpdateStrategy.SEMVER, null, null, false, null, null);

        Resolution result = new ImageResolver(client()).resolve(current);

        assertThat(result).isInstanceOf(Resolution.NoCandidate.class);
        assertThat(((Resolution.NoCandidate) result).why()).isEqualTo(Resolution.Why.CURRENT_IS_NEWEST);
    }

    @Test
    void pinDigestWritesTheChosenTagsDigest() {
        Resolution.Chosen result = chosen(new ImageResolver(client()).resolve(request(UpdateStrategy.SEMVER).withPinDigest(true)));

        assertThat(result.reference().toString()).isEqualTo(registry.image("team/app") + ":v1.5.0@" + FEBRUARY.digest());
    }

    @Test
    void ignoreTagsGlobsAndAllowTagsRegexpFilterBeforeTheStrategy() {
        ImageResolver resolver = new ImageResolver(client());

        Resolution ignored = resolver.resolve(request(UpdateStrategy.SEMVER).withFilter(TagFilter.of(null, List.of("v*", "1.4.[0-9]"))));
        Resolution allowed = resolver.resolve(request(UpdateStrategy.SEMVER).withFilter(TagFilter.of("regexp:^1\\.4", List.of())));

        assertThat(chosen(ignored).tag()).isEqualTo("1.0.0");
        assertThat(ignored.candidates()).filteredOn(c -> c.verdict() == Verdict.IGNORED).extracting(Candidate::tag)
                .containsExactlyInAnyOrder("v1.5.0", "1.4.0", "1.4.2");
        assertThat(chosen(allowed).tag()).isEqualTo("1.4.2");
    }

    @Test
    void newestBuildJudgesAnIndexOnTheWantedPlatformOnly() {
        RegistryClient client = client();
        ResolveRequest request = request(UpdateStrategy.NEWEST_BUILD).withFilter(TagFilter.of(null, List.of("latest", "build-*")));

        Resolution.Chosen amd64 = chosen(new ImageResolver(client).resolve(request));

        assertThat(amd64.tag()).isEqualTo("2.0.0-rc.1");
        assertThat(amd64.reason()).contains("2024-05-01T00:00:00Z");
        assertThat(amd64.candidates()).extracting(Candidate::tag, Candidate::verdict)
                .contains(org.assertj.core.groups.Tuple.tuple("arm-only", Verdict.NO_PLATFORM));
        // five images behind eight tags: each manifest and configuration read once; the index's arm64 image never
        assertThat(client.requestCounts().get(RequestKind.BLOB_GET)).isEqualTo(5L);
    }

    @Test
    void newestBuildOnAnotherPlatformSeesItsImages() {
        ResolveRequest request = request(UpdateStrategy.NEWEST_BUILD).withPlatforms(List.of(Platform.parse("linux/arm64")));

        Resolution.Chosen arm = chosen(new ImageResolver(client()).resolve(request));

        assertThat(arm.tag()).isEqualTo("arm-only");
    }

    @Test
    void newestBuildBreaksTiesByTheTagLastInLexicalOrder() {
        ResolveRequest request = request(UpdateStrategy.NEWEST_BUILD).withFilter(TagFilter.of("regexp:^(1\\.4\\.2|latest|build-20240301)$", List.of()));

        assertThat(chosen(new ImageResolver(client()).resolve(request)).tag()).isEqualTo("latest");
    }

    @Test
    void digestFollowsATagByItsDigestWithOneHeadRequest() {
        RegistryClient client = client();
        ResolveRequest request = ResolveRequest.of(ImageReference.parse(registry.image("team/app") + ":latest"), UpdateStrategy.DIGEST);

        Resolution.Chosen result = chosen(new ImageResolver(client).resolve(request));

        assertThat(result.reference().toString()).isEqualTo(registry.image("team/app") + ":latest@" + MARCH.digest());
        assertThat(client.requestCounts()).containsEntry(RequestKind.MANIFEST_HEAD, 1L)
                .containsEntry(RequestKind.MANIFEST_GET, 0L).containsEntry(RequestKind.TAGS, 0L);
    }

    @Test
    void digestOfAMultiPlatformImageIsTheIndexDigest() {
        ResolveRequest request = request(UpdateStrategy.DIGEST).withFollowTag("2.0.0-rc.1");

        assertThat(chosen(new ImageResolver(client()).resolve(request)).digest()).isEqualTo(MULTI.digest());
    }

    @Test
    void anUnchangedDigestIsNoCandidate() {
        ResolveRequest request = ResolveRequest.of(
                ImageReference.parse(registry.image("team/app") + ":latest@" + MARCH.digest()), UpdateStrategy.DIGEST);

        Resolution result = new ImageResolver(client()).resolve(request);

        assertThat(result).isInstanceOf(Resolution.NoCandidate.class);
        assertThat(((Resolution.NoCandidate) result).why()).isEqualTo(Resolution.Why.CURRENT_IS_NEWEST);
    }

    @Test
    void alphabeticalChoosesTheLastTagInLexicalOrder() {
        ResolveRequest request = request(UpdateStrategy.ALPHABETICAL).withFilter(TagFilter.of("regexp:^build-", List.of()));

        assertThat(chosen(new ImageResolver(client()).resolve(request)).tag()).isEqualTo("build-20240301");
    }

    @Test
    void aMissingRepositoryIsNotFoundNamingRegistryAndRepository() {
        ResolveRequest request = ResolveRequest.of(ImageReference.parse(registry.image("team/missing")), UpdateStrategy.SEMVER);

        assertThatThrownBy(() -> new ImageResolver(client()).resolve(request))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.NOT_FOUND))
                .hasMessageContaining("repository team/missing not found on registry " + registry.address())
                .hasMessageContaining("check the image name");
    }

    @Test
    void aMissingTagToFollowIsNotFound() {
        ResolveRequest request = ResolveRequest.of(ImageReference.parse(registry.image("team/app") + ":weekly"), UpdateStrategy.DIGEST);

        assertThatThrownBy(() -> new ImageResolver(client()).resolve(request))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.NOT_FOUND))
                .hasMessageContaining("tag weekly of " + registry.address() + "/team/app not found");
    }
}
