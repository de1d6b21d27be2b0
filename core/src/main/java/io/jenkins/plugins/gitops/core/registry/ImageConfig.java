package io.jenkins.plugins.gitops.core.registry;

import java.time.Instant;

/**
 * What an image's configuration blob says about when and for what it was built.
 *
 * @param created      the {@code created} time, or {@code null} when the configuration has none
 * @param os           the {@code os}, or {@code null}
 * @param architecture the {@code architecture}, or {@code null}
 * @param variant      the {@code variant}, or {@code null}
 */
public record ImageConfig(Instant created, String os, String architecture, String variant) {}
