package io.jenkins.plugins.gitops.core.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a benchmark run left behind in its copy of the generated repository: every tag the target image
 * carries, per file, and which files differ from the pristine tree. Knows only the shapes that
 * {@link ConfigRepoGenerator} writes, which is all a sanity check of the benchmark needs.
 */
record ReferenceScan(Map<String, List<String>> inlineTags, Map<String, List<String>> splitTags, List<String> changedFiles) {

    /** Tag written after the name in one string: {@code IMAGE:TAG}, not {@code IMAGE-worker:TAG}. */
    private static final Pattern INLINE =
            Pattern.compile(Pattern.quote(ConfigRepoGenerator.TARGET_IMAGE) + ":([^\\s\"'#]+)");
    /** Name and tag on two lines: kustomize {@code name:}/{@code newTag:} or Helm {@code repository:}/{@code tag:}. */
    private static final Pattern SPLIT_NAME =
            Pattern.compile("^\\s*-?\\s*(name|repository):\\s*" + Pattern.quote(ConfigRepoGenerator.TARGET_IMAGE) + "\\s*$");
    private static final Pattern SPLIT_TAG = Pattern.compile("^\\s*(newTag|tag):\\s*\"?([^\\s\"]+)\"?\\s*$");

    static ReferenceScan of(Path tree, Path pristine) {
        Map<String, List<String>> inline = new TreeMap<>();
        Map<String, List<String>> split = new TreeMap<>();
        List<String> changed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String relative = tree.relativize(file).toString();
                byte[] bytes = Files.readAllBytes(file);
                if (!Arrays.equals(bytes, Files.readAllBytes(pristine.resolve(relative)))) {
                    changed.add(relative);
                }
                scan(relative, new String(bytes, java.nio.charset.StandardCharsets.UTF_8), inline, split);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReferenceScan(inline, split, changed);
    }

    private static void scan(String file, String text, Map<String, List<String>> inline, Map<String, List<String>> split) {
        if (!text.contains(ConfigRepoGenerator.TARGET_IMAGE)) {
            return;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = INLINE.matcher(lines[i]);
            while (m.find()) {
                inline.computeIfAbsent(file, k -> new ArrayList<>()).add(m.group(1));
            }
            if (SPLIT_NAME.matcher(lines[i]).matches()) {
                for (int j = i + 1; j < lines.length && j <= i + 3; j++) {
                    Matcher tag = SPLIT_TAG.matcher(lines[j]);
                    if (tag.matches()) {
                        split.computeIfAbsent(file, k -> new ArrayList<>()).add(tag.group(2));
                        break;
                    }
                }
            }
        }
    }

    /** References of the target image, in either shape, whose tag is not {@code tag}. */
    long countNotAt(String tag) {
        return Stream.concat(inlineTags.values().stream(), splitTags.values().stream())
                .flatMap(List::stream)
                .filter(t -> !t.equals(tag))
                .count();
    }

    long referenceCount() {
        return Stream.concat(inlineTags.values().stream(), splitTags.values().stream()).mapToLong(List::size).sum();
    }
}
