package io.jenkins.plugins.gitops.core.testing.argocd;

import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Reference files of ../shared parsed once per JVM; empty when ../shared is absent (an error in CI). */
final class SharedReference {

    private static final Map<String, Optional<?>> PARSED = new ConcurrentHashMap<>();

    private SharedReference() {}

    @SuppressWarnings("unchecked")
    static <T> Optional<T> parsed(String relative, Function<Path, T> parser) {
        return (Optional<T>) PARSED.computeIfAbsent(relative, key -> {
            Path file = SharedData.root().resolve(key);
            return SharedData.present(file) ? Optional.of(parser.apply(file)) : Optional.empty();
        });
    }
}
