package io.jenkins.plugins.gitops.core.manifest;

import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Scalars named by explicit key paths, each holding a whole image reference. */
final class KeyPathImages {

    private KeyPathImages() {}

    static void find(DocumentEdits edits, Node document, List<ImageUpdate> updates, List<KeyPath> paths) {
        for (KeyPath path : paths) {
            for (KeyPaths.Target target : KeyPaths.resolve(document, path)) {
                if (!(target.node() instanceof ScalarNode scalar)) {
                    throw new ManifestEditException(ManifestEditException.Problem.UNSUPPORTED_SHAPE, edits.source().file(),
                            YamlReader.line(target.key() != null ? target.key() : target.node()), "key path '" + path + "' names a mapping or list at "
                                    + target.field() + "; it must name a value holding an image reference");
                }
                ImageStrings.update(edits, updates, target.key(), scalar, TargetKind.KEY_PATH, target.field(), false);
            }
        }
    }
}
