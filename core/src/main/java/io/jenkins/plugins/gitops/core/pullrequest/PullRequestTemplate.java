package io.jenkins.plugins.gitops.core.pullrequest;

import io.jenkins.plugins.gitops.core.git.CommitMessageTemplate;
import io.jenkins.plugins.gitops.core.git.ValueChange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The head branch name, title or body of a pull request, with {@code ${variable}} placeholders: the commit message's
 * ({@link CommitMessageTemplate#VARIABLES}) and {@code base} (the target branch), {@code branch} (the head branch; not
 * in the branch template) and {@code changes} (a Markdown table: file, image, old → new). A line whose placeholders
 * are all empty is dropped.
 */
public record PullRequestTemplate(String template) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    /** The placeholders a template may use. */
    public static final Set<String> VARIABLES;

    static {
        Set<String> names = new HashSet<>(CommitMessageTemplate.VARIABLES);
        names.addAll(List.of("base", "branch", "changes"));
        VARIABLES = Set.copyOf(names);
    }

    /** One branch per target branch, app and image: later builds update its pull request instead of opening another. */
    public static final PullRequestTemplate DEFAULT_BRANCH = new PullRequestTemplate("gitops/${base}/${app}/${image}");
    public static final PullRequestTemplate DEFAULT_TITLE = new PullRequestTemplate("Update ${image} to ${newVersion}");
    public static final PullRequestTemplate DEFAULT_BODY = new PullRequestTemplate(String.join("\n",
            "${changes}",
            "",
            "App: ${app}",
            "Build: ${buildUrl}"));

    public PullRequestTemplate {
        Objects.requireNonNull(template, "template");
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!VARIABLES.contains(m.group(1))) {
                throw new PullRequestException(PullRequestException.Kind.BAD_INPUT, "Unknown variable ${" + m.group(1)
                        + "} in the pull request template '" + template + "'; known: " + new TreeSet<>(VARIABLES) + ".");
            }
        }
    }

    /** Fills in the placeholders (a missing value counts as empty), dropping lines whose placeholders are all empty. */
    public String render(Map<String, String> values) {
        List<String> lines = new ArrayList<>();
        for (String line : template.split("\n", -1)) {
            Matcher m = PLACEHOLDER.matcher(line);
            StringBuilder out = new StringBuilder();
            boolean placeholders = false;
            boolean anyValue = false;
            while (m.find()) {
                placeholders = true;
                String value = values.getOrDefault(m.group(1), "");
                anyValue |= !value.isEmpty();
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            if (!placeholders || anyValue) {
                lines.add(out.toString().stripTrailing());
            }
        }
        return String.join("\n", lines).strip();
    }

    /**
     * Renders a branch name: each value made safe for a ref (characters git refuses, {@code /} and {@code :} within a
     * value become {@code -}; an image is its last path segment), empty segments dropped.
     *
     * @throws PullRequestException BAD_INPUT when nothing usable remains
     */
    public String renderBranch(Map<String, String> values) {
        Map<String, String> safe = new java.util.HashMap<>();
        values.forEach((name, value) -> {
            String text = name.equals("image") ? value.substring(value.lastIndexOf('/') + 1).replaceAll("[:@].*", "") : value;
            safe.put(name, text.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "").replaceAll("\\.{2,}", "."));
        });
        String name = render(safe).replaceAll("/{2,}", "/").replaceAll("^/|/$", "").replaceAll("\\.lock(/|$)", "-lock$1");
        if (name.isEmpty() || !org.eclipse.jgit.lib.Repository.isValidRefName("refs/heads/" + name)) {
            throw new PullRequestException(PullRequestException.Kind.BAD_INPUT,
                    "The branch template '" + template + "' gives '" + name + "', which is not a branch name git accepts.");
        }
        return name;
    }

    /** The Markdown table of {@code changes}: file, image, old → new; empty when there are none. */
    public static String changesTable(List<ValueChange> changes) {
        if (changes.isEmpty()) {
            return "";
        }
        StringBuilder table = new StringBuilder("| File | Image | Old → New |\n| --- | --- | --- |");
        for (ValueChange change : changes) {
            table.append("\n| `").append(cell(change.file())).append("` | ").append(cell(change.subject())).append(" | ")
                    .append(change.oldValue().isEmpty() ? "(none)" : "`" + cell(change.oldValue()) + "`").append(" → ")
                    .append(change.newValue().isEmpty() ? "(removed)" : "`" + cell(change.newValue()) + "`").append(" |");
        }
        return table.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("`", "'").replace("\n", " ");
    }
}
