package io.jenkins.plugins.gitops.core.git;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A commit message with {@code ${variable}} placeholders. A line whose placeholders are all empty is dropped,
 * so that optional values (the app, the build URL) need no conditionals. When that drops the subject (the first line;
 * e.g. a push of files edited by other means has no image or versions), the subject becomes {@code Update FILES}
 * ({@code Update APP: N files} for more than three), never the body's next line.
 */
public record CommitMessageTemplate(String template) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    /** The placeholders a template may use. */
    public static final Set<String> VARIABLES = Set.of(
            "image", "oldTag", "newTag", "oldDigest", "newDigest", "oldVersion", "newVersion", "app", "files", "buildUrl");

    /** Names the image and both versions; ends with {@code [skip ci]} so the push does not start another build. */
    public static final CommitMessageTemplate DEFAULT = new CommitMessageTemplate(String.join("\n",
            "Update ${image} from ${oldVersion} to ${newVersion}",
            "",
            "App: ${app}",
            "Files: ${files}",
            "Build: ${buildUrl}",
            "",
            "[skip ci]"));


    public CommitMessageTemplate {
        Objects.requireNonNull(template, "template");
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!VARIABLES.contains(m.group(1))) {
                throw new GitOperationException(
                        GitOperationException.Kind.BAD_INPUT,
                        "Unknown variable ${" + m.group(1) + "} in the commit message template; known: "
                                + new TreeSet<>(VARIABLES) + ".");
            }
        }
        if (template.isBlank()) {
            throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, "The commit message template is empty.");
        }
    }

    /** Fills in the placeholders; a missing value counts as empty. */
    public String render(Map<String, String> values) {
        List<String> lines = new ArrayList<>();
        boolean subjectDropped = false;
        String[] templateLines = template.split("\n", -1);
        for (int i = 0; i < templateLines.length; i++) {
            String line = templateLines[i];
            Matcher m = PLACEHOLDER.matcher(line);
            StringBuilder out = new StringBuilder();
            boolean hasPlaceholder = false;
            boolean anyValue = false;
            while (m.find()) {
                hasPlaceholder = true;
                String value = values.getOrDefault(m.group(1), "");
                anyValue |= !value.isEmpty();
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            if (!hasPlaceholder || anyValue) {
                lines.add(out.toString().stripTrailing());
            } else if (i == 0) {
                subjectDropped = true;
            }
        }
        if (subjectDropped) {
            lines.add(0, fallbackSubject(values));
            lines.add(1, "");
        }
        // Dropped lines can leave blank runs behind: keep at most one blank line in a row, none at either end.
        List<String> compact = new ArrayList<>();
        for (String line : lines) {
            boolean blank = line.isBlank();
            if (blank && (compact.isEmpty() || compact.get(compact.size() - 1).isBlank())) {
                continue;
            }
            compact.add(blank ? "" : line);
        }
        while (!compact.isEmpty() && compact.get(compact.size() - 1).isBlank()) {
            compact.remove(compact.size() - 1);
        }
        return String.join("\n", compact) + "\n";
    }

    /** {@code Update [APP: ]FILES}, or the number of files when there are more than three. */
    private static String fallbackSubject(Map<String, String> values) {
        String app = values.getOrDefault("app", "");
        String files = values.getOrDefault("files", "");
        int count = files.isEmpty() ? 0 : files.split(", ").length;
        String what = count == 0 ? "the config repository" : count <= 3 ? files : count + " files";
        return "Update " + (app.isEmpty() ? "" : app + ": ") + what;
    }
}
