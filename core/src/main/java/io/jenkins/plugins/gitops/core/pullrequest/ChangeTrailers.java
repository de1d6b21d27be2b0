package io.jenkins.plugins.gitops.core.pullrequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.git.ValueChange;
import java.util.ArrayList;
import java.util.List;

/**
 * What a head branch changes against its base, carried by the message of each commit pushed to it: one
 * {@code Gitops-Change:} trailer per value, for everything the branch changed so far, not only that commit. A
 * pipeline that lost the push race reads them from the winner's tip and adds its own, so the pull request's table
 * describes every build's change, whichever pushed last; a shallow checkout, which has the tip alone, is enough.
 */
final class ChangeTrailers {

    static final String KEY = "Gitops-Change: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeTrailers() {}

    /** The changes recorded in {@code message}; none when it has no (readable) trailer. */
    static List<ValueChange> parse(String message) {
        List<ValueChange> changes = new ArrayList<>();
        for (String line : message.lines().toList()) {
            if (!line.startsWith(KEY)) {
                continue;
            }
            try {
                JsonNode change = JSON.readTree(line.substring(KEY.length()));
                if (change != null && change.path("file").isTextual()) {
                    changes.add(new ValueChange(change.path("file").asText(), change.path("image").asText(""),
                            change.path("old").asText(""), change.path("new").asText("")));
                }
            } catch (JsonProcessingException e) {
                // A trailer written by hand or cut: it describes nothing this class can rely on.
            }
        }
        return changes;
    }

    /** {@code message} with the trailers of {@code changes} appended after a blank line; as it was without changes. */
    static String append(String message, List<ValueChange> changes) {
        if (changes.isEmpty()) {
            return message;
        }
        StringBuilder text = new StringBuilder(message.stripTrailing()).append("\n");
        for (ValueChange change : changes) {
            text.append("\n").append(KEY).append(JSON.createObjectNode()
                    .put("file", change.file())
                    .put("image", change.subject())
                    .put("old", change.oldValue())
                    .put("new", change.newValue()));
        }
        return text.append("\n").toString();
    }

    /**
     * The changes of {@code earlier} followed by {@code later}: a later change of a value an earlier one set continues
     * it (its old value is the earlier one's old value), and a value brought back to where it started is dropped.
     */
    static List<ValueChange> fold(List<ValueChange> earlier, List<ValueChange> later) {
        List<ValueChange> folded = new ArrayList<>(earlier);
        for (ValueChange change : later) {
            int continued = -1;
            for (int i = 0; i < folded.size(); i++) {
                ValueChange before = folded.get(i);
                if (before.file().equals(change.file()) && before.subject().equals(change.subject())
                        && before.newValue().equals(change.oldValue())) {
                    continued = i;
                }
            }
            if (continued < 0) {
                folded.add(change);
            } else {
                ValueChange before = folded.get(continued);
                folded.set(continued, new ValueChange(change.file(), change.subject(), before.oldValue(), change.newValue()));
            }
        }
        folded.removeIf(change -> change.oldValue().equals(change.newValue()));
        return List.copyOf(folded);
    }
}
