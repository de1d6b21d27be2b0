package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The Image Updater write-back file {@code .argocd-source-<app>.yaml}: Argo CD merges it over the
 * application source, so it holds {@code kustomize.images} strings or {@code helm.parameters}. Created
 * in the Image Updater's layout when missing; when present, matching entries are updated and missing
 * ones added.
 */
final class ArgocdSourceFile {

    private ArgocdSourceFile() {}

    static String fileName(String app) {
        return ".argocd-source-" + app + ".yaml";
    }

    static boolean isArgocdSourceFile(String fileName) {
        return fileName.startsWith(".argocd-source") && (fileName.endsWith(".yaml") || fileName.endsWith(".yml"));
    }

    /** The Helm parameter prefix: the first Helm key path, or {@code image}. */
    static String helmPrefix(List<KeyPath> helmKeyPaths) {
        return helmKeyPaths.isEmpty() ? "image" : helmKeyPaths.get(0).text();
    }

    /** The {@code [alias=]reference} string Argo CD's kustomize override takes. */
    static String kustomizeImage(ImageUpdate update) {
        ImageReference image = update.reference();
        String name = image.name();
        StringBuilder out = new StringBuilder(update.newName() == null ? name : name + "=" + update.newName());
        if (update.newTag() != null) {
            out.append(':').append(update.newTag());
        }
        if (update.newDigest() != null) {
            out.append('@').append(update.newDigest());
        }
        return out.toString();
    }

    static void create(DocumentEdits edits, List<ImageUpdate> updates, List<KeyPath> helmKeyPaths, boolean helm) {
        Map<String, Object> document = new LinkedHashMap<>();
        String described;
        if (helm) {
            refuseSeveralForHelm(edits, updates);
            List<Object> parameters = helmParameters(updates.get(0), helmPrefix(helmKeyPaths));
            Map<String, Object> helmBlock = new LinkedHashMap<>();
            helmBlock.put("parameters", parameters);
            document.put("helm", helmBlock);
            described = describe(parameters);
        } else {
            List<String> images = updates.stream().map(ArgocdSourceFile::kustomizeImage).toList();
            Map<String, Object> kustomize = new LinkedHashMap<>();
            kustomize.put("images", new ArrayList<Object>(images));
            document.put("kustomize", kustomize);
            described = String.join(", ", images);
        }
        for (int i = 0; i < updates.size(); i++) {
            edits.found(i);
        }
        edits.createDocument(document, edits.blockMapping(document, 0), TargetKind.ARGOCD_SOURCE,
                helm ? "helm.parameters" : "kustomize.images", described);
    }

    static void upsert(DocumentEdits edits, List<ImageUpdate> updates, List<KeyPath> helmKeyPaths, boolean helmChart) {
        Node document = edits.documents().get(0);
        ApplicationSources.findInSource(edits, document, updates, helmKeyPaths, "", TargetKind.ARGOCD_SOURCE);
        Node parameters = Nodes.get(document, "helm", "parameters");
        Node images = Nodes.get(document, "kustomize", "images");
        boolean helm = parameters instanceof SequenceNode || (images == null && helmChart);
        for (int i = 0; i < updates.size(); i++) {
            if (edits.references(i) > 0) {
                continue;
            }
            ImageUpdate update = updates.get(i);
            edits.found(i);
            if (helm) {
                refuseSeveralForHelm(edits, updates);
                addHelmParameters(edits, i, document, parameters, update, helmPrefix(helmKeyPaths));
            } else if (images instanceof SequenceNode sequence) {
                edits.appendItem(i, sequence, kustomizeImage(update), TargetKind.ARGOCD_SOURCE, "kustomize.images");
            } else if (Nodes.get(document, "kustomize") == null && document instanceof MappingNode root) {
                Map<String, Object> kustomize = new LinkedHashMap<>();
                kustomize.put("images", List.of(kustomizeImage(update)));
                edits.appendRootKey(i, root, "kustomize", kustomize, TargetKind.ARGOCD_SOURCE, "kustomize.images",
                        kustomizeImage(update));
            } else {
                throw unsupported(edits, document, "has a 'kustomize:' without an 'images:' list; add 'images: []' under it");
            }
        }
    }

    private static void addHelmParameters(DocumentEdits edits, int index, Node document, Node parameters,
                                          ImageUpdate update, String prefix) {
        for (Node item : Nodes.items(parameters)) {
            String name = Nodes.text(item, "name");
            if ((prefix + ".name").equals(name) || (prefix + ".repository").equals(name)) {
                throw unsupported(edits, item, "parameter '" + name + "' names another image ('"
                        + Nodes.text(item, "value") + "'); give the Helm key prefix of this image's parameters");
            }
            if ((prefix + ".tag").equals(name) || (prefix + ".digest").equals(name)) {
                throw unsupported(edits, item, "parameter '" + name + "' has no '" + prefix
                        + ".name' beside it, so it cannot be told which image it is for; add that parameter");
            }
        }
        List<Object> added = helmParameters(update, prefix);
        if (parameters instanceof SequenceNode sequence) {
            for (Object parameter : added) {
                edits.appendItem(index, sequence, parameter, TargetKind.ARGOCD_SOURCE, "helm.parameters");
            }
        } else if (Nodes.get(document, "helm") == null && document instanceof MappingNode root) {
            Map<String, Object> helm = new LinkedHashMap<>();
            helm.put("parameters", added);
            edits.appendRootKey(index, root, "helm", helm, TargetKind.ARGOCD_SOURCE, "helm.parameters", describe(added));
        } else {
            throw unsupported(edits, document, "has a 'helm:' without a 'parameters:' list; add 'parameters: []' under it");
        }
    }

    private static List<Object> helmParameters(ImageUpdate update, String prefix) {
        List<Map<String, Object>> parameters = new ArrayList<>();
        parameters.add(parameter(prefix + ".name", update.newName() != null ? update.newName() : update.reference().name()));
        if (update.newTag() != null) {
            parameters.add(parameter(prefix + ".tag", update.newTag()));
        }
        if (update.newDigest() != null) {
            parameters.add(parameter(prefix + ".digest", update.newDigest()));
        }
        parameters.sort(Comparator.comparing(p -> (String) p.get("name")));
        return new ArrayList<>(parameters);
    }

    /** {@code image.name=repo, image.tag=1.2} */
    private static String describe(List<Object> parameters) {
        StringBuilder out = new StringBuilder();
        for (Object parameter : parameters) {
            Map<?, ?> map = (Map<?, ?>) parameter;
            out.append(out.length() > 0 ? ", " : "").append(map.get("name")).append('=').append(map.get("value"));
        }
        return out.toString();
    }

    private static Map<String, Object> parameter(String name, String value) {
        Map<String, Object> parameter = new LinkedHashMap<>();
        parameter.put("name", name);
        parameter.put("value", value);
        // Helm would read a tag such as 1.10 as a number without it.
        parameter.put("forcestring", new DocumentEdits.Literal("true", Tag.BOOL));
        return parameter;
    }

    private static void refuseSeveralForHelm(DocumentEdits edits, List<ImageUpdate> updates) {
        if (updates.size() > 1) {
            throw new ManifestEditException(ManifestEditException.Problem.UNSUPPORTED_SHAPE, edits.source().file(), 0,
                    "Helm parameters for several images need one request per image, each with its Helm key prefix");
        }
    }

    private static ManifestEditException unsupported(DocumentEdits edits, Node node, String message) {
        return new ManifestEditException(ManifestEditException.Problem.UNSUPPORTED_SHAPE, edits.source().file(),
                YamlReader.line(node), message);
    }
}
