package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, with the real {@code git diff --no-index}, that an edit touched only the reported lines: every
 * removed line is a reported value's (or removed key's) line, every added line is a reported value or
 * added key, and a replaced line differs from its original only by the value (quoted when needed).
 */
final class TargetLines {

    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@");

    private TargetLines() {}

    static void assertOnlyTargetsChanged(Path scratch, String file, String before, String after, List<Change> changes)
            throws IOException, InterruptedException {
        Path old = Files.createTempFile(scratch, "before", ".yaml");
        Path neu = Files.createTempFile(scratch, "after", ".yaml");
        Files.write(old, before.getBytes(StandardCharsets.UTF_8));
        Files.write(neu, after.getBytes(StandardCharsets.UTF_8));
        Process git = new ProcessBuilder("git", "diff", "--no-index", "--no-color", "--unified=0", "--no-ext-diff",
                old.toString(), neu.toString()).redirectErrorStream(true).start();
        String diff = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as("git diff exit code (1 = differences)\n%s", diff).isIn(0, 1);

        List<String> removed = new ArrayList<>();
        Set<Integer> removedLines = new TreeSet<>();
        List<String> added = new ArrayList<>();
        int oldLine = 0;
        for (String line : diff.split("\n", -1)) {
            Matcher hunk = HUNK.matcher(line);
            if (hunk.find()) {
                oldLine = Integer.parseInt(hunk.group(1));
            } else if (line.startsWith("-") && !line.startsWith("---")) {
                removed.add(line.substring(1));
                removedLines.add(oldLine++);
            } else if (line.startsWith("+") && !line.startsWith("+++")) {
                // String.lines() (used for the originals below) drops the CR of a CRLF line; so does this.
                added.add(line.substring(1).replaceAll("\r$", ""));
            }
        }
        Set<Integer> expectedRemoved = new TreeSet<>();
        int replacements = 0;
        int additions = 0;
        for (Change change : changes) {
            if (change.oldValue() != null) {
                expectedRemoved.add(change.line());
                replacements += change.newValue() != null ? 1 : 0;
            } else {
                additions++;
            }
        }
        assertThat(removedLines).as("%s: lines removed or replaced\n%s", file, diff).isEqualTo(expectedRemoved);
        long sameLineReplacements = changes.stream().filter(c -> c.oldValue() != null && c.newValue() != null)
                .map(Change::line).distinct().count();
        assertThat(added.size()).as("%s: lines added\n%s", file, diff)
                .isEqualTo((int) sameLineReplacements + additions);
        for (Change change : changes) {
            if (change.oldValue() != null && change.newValue() != null) {
                String original = before.lines().toList().get(change.line() - 1);
                assertThat(variants(original, change)).as("%s:%d only the value changed\n%s", file, change.line(), diff)
                        .containsAnyElementsOf(added);
            } else if (change.newValue() != null) {
                assertThat(added).as("%s: an added line carries %s\n%s", file, change.newValue(), diff)
                        .anyMatch(line -> line.contains(firstValue(change.newValue())));
            }
        }
        assertThat(after.endsWith("\n")).as("%s: final newline as before", file).isEqualTo(before.endsWith("\n"));
        assertThat(after.split("\r\n", -1).length).as("%s: CRLF count changes only by added or removed lines", file)
                .isEqualTo(before.split("\r\n", -1).length + (before.contains("\r\n") ? additions - removedLines.size()
                        + (int) sameLineReplacements : 0));
    }

    private static String firstValue(String described) {
        int colon = described.indexOf(": ");
        String value = colon < 0 ? described : described.substring(colon + 2);
        int comma = value.indexOf(',');
        return comma < 0 ? value : value.substring(0, comma);
    }

    /** The original line with the old value replaced by the new one, as written plain or quoted. */
    private static List<String> variants(String original, Change change) {
        List<String> variants = new ArrayList<>();
        String old = change.oldValue();
        for (String token : old.isEmpty() ? List.of("\"\"", "''") : List.of(old, "\"" + old + "\"", "'" + old + "'")) {
            int at = original.indexOf(token);
            if (at < 0) {
                continue;
            }
            String quote = token.startsWith("\"") ? "\"" : token.startsWith("'") ? "'" : "";
            for (String written : List.of(quote + change.newValue() + quote, "\"" + change.newValue() + "\"")) {
                variants.add(original.substring(0, at) + written + original.substring(at + token.length()));
            }
        }
        return variants;
    }
}
