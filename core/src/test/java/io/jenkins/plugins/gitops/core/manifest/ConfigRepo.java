package io.jenkins.plugins.gitops.core.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A throw-away config repository directory for editor tests. */
final class ConfigRepo {

    final Path root;

    ConfigRepo(Path root) {
        this.root = root;
    }

    ConfigRepo write(String relative, String content) {
        return writeBytes(relative, content.getBytes(StandardCharsets.UTF_8));
    }

    ConfigRepo writeBytes(String relative, byte[] content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file's bytes, to show that nothing changed. */
    Map<String, String> snapshot() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    EditReport apply(ImageUpdate update) {
        return editor().apply(EditRequest.of(update));
    }

    EditReport apply(EditRequest request) {
        return editor().apply(request);
    }

    EditReport tag(String image, String tag, String... paths) {
        return editor().apply(EditRequest.of(ImageUpdate.tag(image, tag)).withPaths(List.of(paths)));
    }

    ManifestEditor editor() {
        return new ManifestEditor(root);
    }
}
