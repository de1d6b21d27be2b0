package io.jenkins.plugins.gitops.core.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A kubeconfig from someone who may not act on the machine that reads it, such as a Jenkins job's secret file
 * credential: it must carry everything inline. fabric8 runs a user's {@code exec} command and reads every file a
 * kubeconfig names while it builds its configuration, so a kubeconfig with such a field is refused before fabric8
 * sees it, with a message naming the user or cluster and the field (never a value).
 *
 * <p>Checked against an allow-list of the keys of each {@code users[].user} and {@code clusters[].cluster}, read by
 * fabric8's own parser, so that a key fabric8 learns to act on later is refused until it is known to be inert.
 *
 * @param content the kubeconfig's text
 */
public record SelfContainedKubeconfig(String content) implements ClusterAccess {

    /** Inline credentials and impersonation only. */
    private static final Set<String> USER_KEYS = Set.of(
            "token", "username", "password", "client-certificate-data", "client-key-data",
            "as", "as-uid", "as-groups", "as-user-extra", "extensions");

    private static final Set<String> CLUSTER_KEYS = Set.of(
            "server", "certificate-authority-data", "insecure-skip-tls-verify", "tls-server-name", "proxy-url",
            "disable-compression", "extensions");

    /** Keys that point outside the kubeconfig, with what each would do. */
    private static final Map<String, String> OUTSIDE = Map.of(
            "exec", "runs a command",
            "auth-provider", "has a plugin fetch and refresh tokens",
            "client-certificate", "reads a file",
            "client-key", "reads a file",
            "tokenFile", "reads a file",
            "certificate-authority", "reads a file");

    private static final String ACCEPTED = "only self-contained kubeconfigs are accepted: token, username and password,"
            + " or client-certificate-data and client-key-data, with certificate-authority-data";

    /**
     * @throws IllegalArgumentException naming the first field that is not self-contained, or saying that the text is
     *     not a kubeconfig (without quoting it: it holds secrets)
     */
    public SelfContainedKubeconfig {
        Objects.requireNonNull(content, "content");
        if (content.isBlank()) {
            throw new IllegalArgumentException("the kubeconfig is empty");
        }
        Object tree;
        try {
            tree = Serialization.unmarshal(content, Object.class);
        } catch (RuntimeException e) {
            // No cause: parser messages quote the input.
            throw new IllegalArgumentException(Kubeconfig.INVALID);
        }
        if (!(tree instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException(Kubeconfig.INVALID);
        }
        check(root.get("users"), "user", "user", USER_KEYS);
        check(root.get("clusters"), "cluster", "cluster", CLUSTER_KEYS);
    }

    private static void check(Object entries, String what, String body, Set<String> allowed) {
        if (!(entries instanceof List<?> list)) {
            return; // absent, or malformed: fabric8 reports it when connecting
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> entry) || !(entry.get(body) instanceof Map<?, ?> fields)) {
                continue;
            }
            Object name = entry.get("name");
            String where = name instanceof String s ? what + " \"" + s + "\"" : what + " #" + (i + 1);
            for (Object key : fields.keySet()) {
                String field = String.valueOf(key);
                if (allowed.contains(field)) {
                    continue;
                }
                String effect = OUTSIDE.get(field);
                throw new IllegalArgumentException("the kubeconfig's " + where + " sets " + field + ", which "
                        + (effect != null ? effect + " on the machine that reads it" : "is not supported here")
                        + "; " + ACCEPTED);
            }
        }
    }

    @Override
    public Config config() {
        return new Kubeconfig(content).config();
    }

    @Override
    public String describe() {
        return "kubeconfig";
    }

    @Override
    public String toString() {
        return "SelfContainedKubeconfig[content hidden]";
    }
}
