package io.jenkins.plugins.gitops.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The Argo CD servers jobs may sync on, under "Manage Jenkins > System" and in Configuration as Code:
 * <pre>{@code
 * unclassified:
 *   gitopsDeploy:
 *     argoCdServers:
 *       - name: prod
 *         url: https://argocd.example.org
 *         credentialsId: argocd-token
 *     inClusterAccess: false
 * }</pre>
 */
@Extension
@Symbol("gitopsDeploy")
public class GitopsGlobalConfiguration extends GlobalConfiguration {

    /** Replaced whole, never changed in place: readers need no lock. */
    private volatile List<ArgoCdServer> argoCdServers = new ArrayList<>();
    /**
     * Whether jobs may reach the Kubernetes API as the controller itself ({@code kubernetes: true}: its service
     * account, {@code $KUBECONFIG} or {@code ~/.kube/config}). Off until an administrator turns it on.
     */
    private volatile boolean inClusterAccess;

    public GitopsGlobalConfiguration() {
        load();
    }

    public static GitopsGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(GitopsGlobalConfiguration.class);
    }

    @NonNull
    public List<ArgoCdServer> getArgoCdServers() {
        return List.copyOf(argoCdServers);
    }

    /** Replaces the list; names must be present and unique, URLs valid, since jobs refer to servers by name. */
    @DataBoundSetter
    public void setArgoCdServers(@CheckForNull List<ArgoCdServer> servers) {
        argoCdServers = new ArrayList<>(checked(servers));
        save();
    }

    public boolean isInClusterAccess() {
        return inClusterAccess;
    }

    @DataBoundSetter
    public void setInClusterAccess(boolean inClusterAccess) {
        this.inClusterAccess = inClusterAccess;
        save();
    }

    /** The server of that name, or null. */
    @CheckForNull
    public ArgoCdServer findServer(@CheckForNull String name) {
        for (ArgoCdServer server : argoCdServers) {
            if (server.getName().equals(name)) {
                return server;
            }
        }
        return null;
    }

    /**
     * Binds the form into a new list and replaces the old one only when all of it is valid, then saves: a form with
     * every server deleted (it has no {@code argoCdServers} key at all) is saved as an empty list, and a form that
     * does not bind leaves the servers as they were.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        List<ArgoCdServer> servers;
        try {
            servers = checked(req.bindJSONToList(ArgoCdServer.class, json.opt("argoCdServers")));
        } catch (RuntimeException e) {
            // Stapler may wrap what a constructor or setter threw; show the innermost message.
            throw new FormException(innermostMessage(e), e, "argoCdServers");
        }
        argoCdServers = new ArrayList<>(servers);
        inClusterAccess = json.optBoolean("inClusterAccess");
        save();
        return true;
    }

    private static List<ArgoCdServer> checked(@CheckForNull List<ArgoCdServer> servers) {
        List<ArgoCdServer> checked = servers == null ? List.of() : List.copyOf(servers);
        Set<String> names = new HashSet<>();
        for (ArgoCdServer server : checked) {
            if (server.getName() == null) {
                throw new IllegalArgumentException(Messages.ArgoCdServer_nameRequired());
            }
            if (!names.add(server.getName())) {
                throw new IllegalArgumentException(Messages.GitopsGlobalConfiguration_duplicateName(server.getName()));
            }
            String urlProblem = ArgoCdServer.urlProblem(server.getUrl());
            if (urlProblem != null) {
                throw new IllegalArgumentException(server.getName() + ": " + urlProblem);
            }
            String caProblem = ArgoCdServer.caCertificateProblem(server.getCaCertificate());
            if (caProblem != null) {
                throw new IllegalArgumentException(server.getName() + ": " + caProblem);
            }
        }
        return checked;
    }

    private static String innermostMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message;
    }
}
