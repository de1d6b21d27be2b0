package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Hardened parsing to SnakeYAML's node tree (marks kept, nothing constructed): alias, nesting and code
 * point limits, and duplicate keys refused (the composer does not check them; a constructor would).
 */
final class YamlReader {

    private final ManifestEditor.Limits limits;

    YamlReader(ManifestEditor.Limits limits) {
        this.limits = limits;
    }

    /** The parsed documents of a file, with how often each node is reached (more than once: aliased). */
    record Parsed(List<Node> documents, Map<Node, Integer> visits) {
        boolean aliased(Node node) {
            return visits.getOrDefault(node, 0) > 1;
        }
    }

    Parsed parse(SourceFile source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(limits.maxAliases());
        options.setNestingDepthLimit(limits.maxNestingDepth());
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, Math.max(limits.maxFileBytes(), 1)));
        options.setProcessComments(false);
        List<Node> documents = new ArrayList<>();
        try {
            // The composer alone: a Yaml instance would also set up a constructor and a representer (and,
            // through them, java.util.logging), none of which a node tree needs.
            // The text is in memory: a linear reader instead of SnakeYAML's, which is quadratic in a long line.
            Composer composer = new Composer(new ParserImpl(new TextStreamReader(source.text()), options), new Resolver(), options);
            while (composer.checkNode()) {
                documents.add(composer.getNode());
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw new ManifestEditException(Problem.MALFORMED_YAML, source.file(), line,
                    "not valid YAML: " + problem + context + "; fix the file and retry", e);
        } catch (ReaderException e) {
            int index = source.text().offsetByCodePoints(0, Math.min(e.getPosition(), source.text().codePointCount(0, source.text().length())));
            throw new ManifestEditException(Problem.MALFORMED_YAML, source.file(), source.lineOf(index),
                    String.format(Locale.ROOT, "not valid YAML: the control character U+%04X is not allowed; fix the file and retry",
                            e.getCodePoint()), e);
        } catch (YAMLException e) {
            throw new ManifestEditException(Problem.PARSER_LIMIT, source.file(), 0,
                    "refused by the hardened parser: " + e.getMessage()
                            + " (too many aliases, too deep or too large: a YAML bomb?)", e);
        } catch (StackOverflowError e) {
            throw new ManifestEditException(Problem.PARSER_LIMIT, source.file(), 0,
                    "refused by the hardened parser: nesting too deep", null);
        }
        Map<Node, Integer> visits = new IdentityHashMap<>();
        for (Node document : documents) {
            walk(source, document, visits);
        }
        return new Parsed(documents, visits);
    }

    private void walk(SourceFile source, Node node, Map<Node, Integer> visits) {
        // Aliases share node objects; bounded by the alias limit the composer enforces.
        if (visits.merge(node, 1, Integer::sum) > 1 + limits.maxAliases()) {
            throw new ManifestEditException(Problem.PARSER_LIMIT, source.file(), line(node),
                    "a node is reached through more than " + limits.maxAliases() + " aliases (a YAML bomb?)");
        }
        if (node instanceof MappingNode mapping) {
            Set<String> keys = new HashSet<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && !key.getValue().equals("<<")
                        && !keys.add(key.getValue())) {
                    throw new ManifestEditException(Problem.MALFORMED_YAML, source.file(), line(key),
                            "duplicate key '" + key.getValue() + "'; remove one of them");
                }
                walk(source, tuple.getKeyNode(), visits);
                walk(source, tuple.getValueNode(), visits);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                walk(source, item, visits);
            }
        }
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
