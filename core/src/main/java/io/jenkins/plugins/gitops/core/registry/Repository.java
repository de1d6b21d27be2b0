package io.jenkins.plugins.gitops.core.registry;

import io.jenkins.plugins.gitops.core.image.ImageReference;

/**
 * A repository as the Distribution API names it: the host to contact and the repository path. Docker Hub's names are
 * expanded as Docker does: {@code nginx} is {@code library/nginx} on {@code registry-1.docker.io}.
 *
 * @param registry the registry as written in image references ({@code docker.io}, {@code ghcr.io},
 *                 {@code 127.0.0.1:5000}); credentials and insecure registries are looked up by it
 * @param host     the host (and port) the API is served on
 * @param name     the repository path ({@code library/nginx})
 */
public record Repository(String registry, String host, String name) {

    /** Docker Hub's API host. */
    public static final String DOCKER_HUB_HOST = "registry-1.docker.io";

    /** The repository of {@code image} (its tag and digest do not matter). */
    public static Repository of(ImageReference image) {
        String registry = image.effectiveRegistry();
        if (registry.equals(ImageReference.DEFAULT_REGISTRY)) {
            String path = image.path().indexOf('/') < 0 ? "library/" + image.path() : image.path();
            return new Repository(registry, DOCKER_HUB_HOST, path);
        }
        return new Repository(registry, registry, image.path());
    }

    /** {@code registry/name}, as messages show it. */
    @Override
    public String toString() {
        return registry + "/" + name;
    }
}
