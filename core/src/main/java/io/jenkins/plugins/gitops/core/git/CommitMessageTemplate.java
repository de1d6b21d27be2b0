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
 * so that optional values (the app, the build URL) need no conditionals.
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
        for (String line : template.split("\n", -1)) {
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
            }
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
}
