package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Util;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.registry.Platform;
import io.jenkins.plugins.gitops.core.registry.RegistryClient;
import io.jenkins.plugins.gitops.core.registry.RegistryCredentials;
import io.jenkins.plugins.gitops.core.registry.RegistryException;
import io.jenkins.plugins.gitops.core.registry.Repository;
import io.jenkins.plugins.gitops.core.strategy.Candidate;
import io.jenkins.plugins.gitops.core.strategy.ImageResolver;
import io.jenkins.plugins.gitops.core.strategy.Resolution;
import io.jenkins.plugins.gitops.core.strategy.ResolveRequest;
import io.jenkins.plugins.gitops.core.strategy.TagFilter;
import io.jenkins.plugins.gitops.core.strategy.UpdateStrategy;
import io.jenkins.plugins.gitops.core.strategy.VersionConstraint;
import io.jenkins.plugins.gitops.credentials.BuildCredentials;
import io.jenkins.plugins.gitops.credentials.RegistryLogin;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import jenkins.agents.ControllerToAgentCallable;

/**
 * {@code gitopsSetImage strategy:}: chooses the version to deploy from the image's registry with core's resolver. The
 * registry, its TLS settings and its credentials are the job's choice, so the registry is read on the agent that holds
 * the workspace ({@link Resolve}), never from the controller; the registry credentials travel there as the git
 * credentials do, for this one call, and are masked in the build log.
 */
final class RegistryResolution {

    private RegistryResolution() {}

    /**
     * What the resolver decided, as the step returns it.
     *
     * @param chosen     whether a version was chosen ({@code false}: no candidate)
     * @param reference  the chosen image reference ({@code image:tag[@digest]}), or null
     * @param tag        the chosen tag, or null
     * @param digest     the digest to write (pinned, or followed by {@code digest}), or null
     * @param reason     the resolver's sentence saying what was chosen and why, or why nothing was
     * @param candidates every tag looked at: {@code [tag:, verdict:, detail:]}
     */
    record Outcome(boolean chosen, String reference, String tag, String digest, String reason,
            ArrayList<Map<String, Object>> candidates) implements Serializable {

        private static final long serialVersionUID = 1L;

        /** The step's return value: {@code outcome}, {@code reference}, {@code tag}, {@code digest}, {@code reason}, {@code candidates}. */
        Map<String, Object> toMap() {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("outcome", chosen ? "CHOSEN" : "NO_CANDIDATE");
            value.put("reference", reference);
            value.put("tag", tag);
            value.put("digest", digest);
            value.put("reason", reason);
            value.put("candidates", new ArrayList<>(candidates));
            return value;
        }
    }

    /**
     * The resolution, run where the workspace is. Everything in it is the step's text as given, parsed and checked
     * again there by core, and the registry login for this call (null: anonymous).
     */
    record Resolve(String image, String strategy, String constraint, String allowTags, ArrayList<String> ignoreTags,
            boolean pinDigest, ArrayList<String> platforms, String followTag, ArrayList<String> insecureRegistries,
            RegistryLogin login) implements ControllerToAgentCallable<Outcome, IOException> {

        private static final long serialVersionUID = 1L;

        @Override
        public Outcome call() throws IOException {
            ResolveRequest request = request();
            try {
                // registered for redaction in this JVM as they are made
                Optional<RegistryCredentials> credentials = Optional.ofNullable(login)
                        .map(l -> new RegistryCredentials(l.username(), l.password()));
                String registry = Repository.of(request.image()).registry();
                RegistryClient client = RegistryClient.builder()
                        .insecureRegistries(insecureRegistries)
                        .credentials(asked -> asked.equals(registry) ? credentials : Optional.empty())
                        .build();
                return outcome(new ImageResolver(client).resolve(request));
            } catch (RegistryException | IllegalArgumentException e) {
                // The message names the registry, the repository and what to do; credentials never reach it.
                throw new AbortException(e.getMessage());
            }
        }

        Resolve withLogin(@CheckForNull RegistryLogin newLogin) {
            return new Resolve(image, strategy, constraint, allowTags, ignoreTags, pinDigest, platforms, followTag,
                    insecureRegistries, newLogin);
        }

        /** Core's request, the step's argument named in the message of any bad one. */
        ResolveRequest request() throws AbortException {
            UpdateStrategy chosen = argument("strategy", () -> UpdateStrategy.parse(strategy));
            VersionConstraint range = argument("constraint", () -> VersionConstraint.parse(constraint));
            argument("allowTags", () -> TagFilter.of(allowTags, List.of()));
            TagFilter filter = argument("ignoreTags", () -> TagFilter.of(allowTags, ignoreTags));
            List<Platform> wanted = argument("platform", () -> platforms.stream().map(Platform::parse).toList());
            ImageReference parsed = argument("image", () -> ImageReference.parse(image));
            if (chosen == UpdateStrategy.DIGEST && followTag == null && parsed.tag() == null) {
                throw new AbortException(Messages.RegistryResolution_digestNeedsTag(parsed.name()));
            }
            // The files hold the current version: the image is resolved without one (digest keeps the tag it follows).
            ImageReference unversioned = parsed.withDigest(null).withTag(chosen == UpdateStrategy.DIGEST ? parsed.tag() : null);
            return argument("constraint", () -> new ResolveRequest(unversioned, chosen, range, filter, pinDigest, wanted, followTag));
        }
    }

    /**
     * The resolution {@code args} ask for, or null when they name no strategy. Checks the arguments on the controller
     * before anything is read or cloned, then reads the registry from {@code workspace}'s agent.
     *
     * @param workspace null outside a {@code node} block, where no registry can be read
     */
    @CheckForNull
    static Outcome resolve(GitopsSetImageStep args, @CheckForNull FilePath workspace, BuildCredentials credentials)
            throws IOException, InterruptedException {
        String strategy = Util.fixEmptyAndTrim(args.getStrategy());
        if (strategy == null) {
            if (args.getConstraint() != null || args.getAllowTags() != null || args.getIgnoreTags() != null
                    || args.isPinDigest() || args.getPlatform() != null || args.getRegistryCredentialsId() != null
                    || args.getInsecureRegistries() != null) {
                throw new AbortException(Messages.RegistryResolution_needsStrategy());
            }
            return null;
        }
        if (args.getImage() == null) {
            throw new AbortException(Messages.CheckoutOperations_imageRequired());
        }
        if (args.getDigest() != null) {
            throw new AbortException(Messages.RegistryResolution_noDigestWithStrategy());
        }
        Resolve resolve = new Resolve(args.getImage(), strategy, args.getConstraint(), args.getAllowTags(),
                new ArrayList<>(SyncSettings.split(args.getIgnoreTags())), args.isPinDigest(),
                new ArrayList<>(SyncSettings.split(args.getPlatform())), args.getTag(),
                new ArrayList<>(SyncSettings.split(args.getInsecureRegistries())), null);
        ResolveRequest request = resolve.request();
        if (args.getTag() != null && request.strategy() != UpdateStrategy.DIGEST) {
            throw new AbortException(Messages.RegistryResolution_noTagWithStrategy(request.strategy()));
        }
        if (workspace == null) {
            throw new AbortException(Messages.RegistryResolution_needsWorkspace());
        }
        String registry = Repository.of(request.image()).registry();
        String credentialsId = args.getRegistryCredentialsId();
        RegistryLogin login = credentialsId == null ? null : credentials.registry(credentialsId, registry);
        return workspace.act(resolve.withLogin(login));
    }

    private static Outcome outcome(Resolution resolution) {
        ArrayList<Map<String, Object>> candidates = new ArrayList<>();
        for (Candidate candidate : resolution.candidates()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("tag", candidate.tag());
            c.put("verdict", candidate.verdict().name());
            c.put("detail", candidate.detail());
            candidates.add(c);
        }
        if (resolution instanceof Resolution.Chosen chosen) {
            return new Outcome(true, chosen.reference().toString(), chosen.tag(), chosen.digest(), chosen.reason(), candidates);
        }
        return new Outcome(false, null, null, null, resolution.reason(), candidates);
    }

    private static <R> R argument(String name, Supplier<R> parse) throws AbortException {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            // core's messages name some arguments themselves ("allowTags '...' is not ..."): not twice
            throw new AbortException(e.getMessage().startsWith(name + " ") ? e.getMessage() : name + ": " + e.getMessage());
        }
    }
}
