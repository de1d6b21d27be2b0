package io.jenkins.plugins.gitops.core.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A minimal idempotent edit for the git tests: sets the {@code image:} line of one file. */
record ImageLineEdit(String file, String image, String tag) implements WorkTreeEdit {

    static String manifest(String image, String tag) {
        return "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                + "        - name: app\n          image: " + image + ":" + tag + "\n";
    }

    @Override
    public EditOutcome apply(Path workTree) throws IOException {
        Path path = workTree.resolve(file);
        String before = Files.readString(path);
        String oldTag = before.substring(before.indexOf("image: " + image + ":") + ("image: " + image + ":").length()).strip();
        String after = manifest(image, tag);
        if (before.equals(after)) {
            return EditOutcome.unchanged();
        }
        Files.writeString(path, after);
        return new EditOutcome(List.of(file), Map.of(
                "image", image, "oldTag", oldTag, "newTag", tag, "oldVersion", oldTag, "newVersion", tag));
    }
}
