package io.jenkins.plugins.gitops.core.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.util.Paths;

/**
 * A tree with some files replaced, added or removed, written by reading and writing only the trees on their paths.
 * One edited file of a 20,000-file repository costs the three trees above it, where writing the trees of the whole
 * index hashes all 4,000 of them.
 */
final class TreeEdit {

    /** A file's new entry: its mode and its blob. */
    record File(FileMode mode, ObjectId blob) {}

    /** One entry of a tree being written. */
    private record Item(byte[] name, FileMode mode, ObjectId id) {}

    private final ObjectReader reader;
    private final ObjectInserter inserter;

    private TreeEdit(ObjectReader reader, ObjectInserter inserter) {
        this.reader = reader;
        this.inserter = inserter;
    }

    /**
     * @param tree  the tree to start from
     * @param files repository-relative paths, each with its new entry, or empty to remove it; a directory left with
     *              nothing in it goes, as git has no empty trees
     * @return the new root tree, inserted with {@code inserter} (which the caller flushes)
     */
    static ObjectId apply(ObjectReader reader, ObjectInserter inserter, AnyObjectId tree, Map<String, Optional<File>> files)
            throws IOException {
        Optional<ObjectId> root = new TreeEdit(reader, inserter).edit(Optional.of(tree), new TreeMap<>(files));
        return root.isPresent() ? root.get() : inserter.insert(new TreeFormatter());
    }

    /** @return the edited tree, or empty when nothing is left in it */
    private Optional<ObjectId> edit(Optional<? extends AnyObjectId> tree, SortedMap<String, Optional<File>> changes)
            throws IOException {
        Map<String, Optional<File>> here = new TreeMap<>();
        Map<String, SortedMap<String, Optional<File>>> below = new TreeMap<>();
        changes.forEach((path, file) -> {
            int slash = path.indexOf('/');
            if (slash < 0) {
                here.put(path, file);
            } else {
                below.computeIfAbsent(path.substring(0, slash), name -> new TreeMap<>()).put(path.substring(slash + 1), file);
            }
        });
        List<Item> items = new ArrayList<>();
        Map<String, ObjectId> subtrees = new TreeMap<>();
        if (tree.isPresent()) {
            for (CanonicalTreeParser entries = new CanonicalTreeParser(null, reader, tree.get()); !entries.eof(); entries.next()) {
                String name = entries.getEntryPathString();
                FileMode mode = entries.getEntryFileMode();
                if (below.containsKey(name) && mode == FileMode.TREE) {
                    subtrees.put(name, entries.getEntryObjectId());
                } else if (!here.containsKey(name) && !below.containsKey(name)) {
                    byte[] raw = new byte[entries.getNameLength()];
                    entries.getName(raw, 0);
                    items.add(new Item(raw, mode, entries.getEntryObjectId()));
                }
            }
        }
        here.forEach((name, file) -> file.ifPresent(f -> items.add(new Item(Constants.encode(name), f.mode(), f.blob()))));
        for (Map.Entry<String, SortedMap<String, Optional<File>>> directory : below.entrySet()) {
            edit(Optional.ofNullable(subtrees.get(directory.getKey())), directory.getValue()).ifPresent(
                    edited -> items.add(new Item(Constants.encode(directory.getKey()), FileMode.TREE, edited)));
        }
        if (items.isEmpty()) {
            return Optional.empty();
        }
        items.sort((a, b) -> Paths.compare(a.name(), 0, a.name().length, a.mode().getBits(),
                b.name(), 0, b.name().length, b.mode().getBits()));
        TreeFormatter formatter = new TreeFormatter();
        for (Item item : items) {
            formatter.append(item.name(), item.mode(), item.id());
        }
        return Optional.of(inserter.insert(formatter));
    }
}
