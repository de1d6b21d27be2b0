package io.jenkins.plugins.gitops.core.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trees {@link TreeEdit} writes are the ones {@code git write-tree} writes for the same index. */
class TreeEditTest {

    @TempDir
    Path checkout;

    /** Names whose order differs between a file and a directory of the same name ({@code a} sorts as {@code a/}). */
    private static final String[] FILES = {
        "a-b/x", "a.txt", "a/x", "a/y/z", "a0", "b", "b.x", "c/d/e/f", "apps/app-1/kustomization.yaml", "apps/app-10/values.yaml",
    };

    @Test
    void writesTheTreeGitWritesForReplacedAddedAndRemovedFiles() throws IOException {
        commitFiles();
        Map<String, Optional<String>> changes = new LinkedHashMap<>();
        changes.put("a/x", Optional.of("changed\n"));
        changes.put("a/new/deep/file", Optional.of("new\n"));
        changes.put("a-b/y", Optional.of("beside\n"));
        changes.put("c/d/e/f", Optional.empty()); // leaves c/d/e, c/d and c empty: all three go
        changes.put("b", Optional.empty());
        changes.put("b/c", Optional.of("a directory where a file was\n"));
        changes.put("apps/app-10/values.yaml", Optional.of("image: v2\n"));

        assertThat(edited(changes)).isEqualTo(gitWriteTree(changes));
    }

    @Test
    void removingEveryFileLeavesGitsEmptyTree() throws IOException {
        commitFiles();
        Map<String, Optional<String>> changes = new LinkedHashMap<>();
        for (String file : FILES) {
            changes.put(file, Optional.empty());
        }

        assertThat(edited(changes)).isEqualTo(ObjectId.fromString("4b825dc642cb6eb9a060e54bf8d69288fbee4904"));
    }

    @Test
    void anExecutableFileKeepsItsMode() throws IOException {
        commitFiles();
        Map<String, Optional<String>> changes = Map.of("bin/run", Optional.of("#!/bin/sh\n"));
        ObjectId tree;
        try (Repository repository = repository();
                ObjectInserter inserter = repository.newObjectInserter();
                ObjectReader reader = repository.newObjectReader()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            tree = TreeEdit.apply(reader, inserter, repository.resolve("HEAD^{tree}"),
                    Map.of("bin/run", Optional.of(new TreeEdit.File(FileMode.EXECUTABLE_FILE, blob))));
            inserter.flush();
        }
        write(changes);
        Files.setPosixFilePermissions(checkout.resolve("bin/run"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        GitCli.run(checkout, "add", "-A");

        assertThat(tree.name()).isEqualTo(GitCli.run(checkout, "write-tree").strip());
        assertThat(GitCli.run(checkout, "ls-tree", tree.name(), "bin/run")).startsWith("100755 blob");
    }

    private void commitFiles() throws IOException {
        GitCli.run(checkout, "init", "--quiet");
        for (String file : FILES) {
            Path path = checkout.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "content of " + file + "\n");
        }
        GitCli.run(checkout, "add", "-A");
        GitCli.run(checkout, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "--quiet", "-m", "files");
    }

    private Repository repository() throws IOException {
        return new FileRepositoryBuilder().setGitDir(checkout.resolve(".git").toFile()).setMustExist(true).build();
    }

    private ObjectId edited(Map<String, Optional<String>> changes) throws IOException {
        try (Repository repository = repository();
                ObjectInserter inserter = repository.newObjectInserter();
                ObjectReader reader = repository.newObjectReader()) {
            Map<String, Optional<TreeEdit.File>> files = new LinkedHashMap<>();
            for (Map.Entry<String, Optional<String>> change : changes.entrySet()) {
                Optional<TreeEdit.File> file = Optional.empty();
                if (change.getValue().isPresent()) {
                    ObjectId blob = inserter.insert(Constants.OBJ_BLOB, change.getValue().get().getBytes(StandardCharsets.UTF_8));
                    file = Optional.of(new TreeEdit.File(FileMode.REGULAR_FILE, blob));
                }
                files.put(change.getKey(), file);
            }
            ObjectId tree = TreeEdit.apply(reader, inserter, repository.resolve("HEAD^{tree}"), files);
            inserter.flush();
            return tree;
        }
    }

    /** The same changes made in the work tree and staged by git, then its own tree of the index. */
    private ObjectId gitWriteTree(Map<String, Optional<String>> changes) throws IOException {
        write(changes);
        GitCli.run(checkout, "add", "-A");
        return ObjectId.fromString(GitCli.run(checkout, "write-tree").strip());
    }

    /** In the map's order: a file that makes way for a directory is removed before the directory is made. */
    private void write(Map<String, Optional<String>> changes) throws IOException {
        for (Map.Entry<String, Optional<String>> change : changes.entrySet()) {
            Path path = checkout.resolve(change.getKey());
            if (change.getValue().isPresent()) {
                Files.createDirectories(path.getParent());
                Files.writeString(path, change.getValue().get());
            } else {
                Files.deleteIfExists(path);
            }
        }
    }
}
