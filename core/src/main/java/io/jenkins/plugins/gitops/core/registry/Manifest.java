package io.jenkins.plugins.gitops.core.registry;

import java.util.List;

/** A manifest as far as choosing a version needs it: an index of per-platform manifests, or one image's manifest. */
public sealed interface Manifest {

    /** The OCI image index media type. */
    String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** Docker's manifest list media type. */
    String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** The OCI image manifest media type. */
    String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** Docker's image manifest (schema 2) media type. */
    String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** The four types asked for, in order of preference. */
    List<String> ACCEPTED = List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    /** The manifest's digest ({@code sha256:...}): of an index, the digest a multi-platform pull resolves to. */
    String digest();

    /**
     * A multi-platform image: an OCI index or a Docker manifest list.
     *
     * @param digest    the index's digest
     * @param manifests its per-platform manifests
     */
    record Index(String digest, List<Entry> manifests) implements Manifest {
        public Index {
            manifests = List.copyOf(manifests);
        }
    }

    /**
     * One entry of an index.
     *
     * @param digest       the platform manifest's digest
     * @param os           its {@code platform.os}, or {@code null} when the entry has no platform
     * @param architecture its {@code platform.architecture}, or {@code null}
     * @param variant      its {@code platform.variant}, or {@code null}
     */
    record Entry(String digest, String os, String architecture, String variant) {
        /** Whether an image of this entry runs on {@code platform}. */
        public boolean runsOn(Platform platform) {
            return platform.matches(os, architecture, variant);
        }
    }

    /**
     * A single-platform image manifest.
     *
     * @param digest       the manifest's digest
     * @param configDigest the digest of its configuration blob
     */
    record Image(String digest, String configDigest) implements Manifest {}
}
