package io.jenkins.plugins.gitops.core.argocd;

import java.util.List;
import java.util.Objects;

/** Where an application stands against an {@link Expectation}: the result of {@link DoneCondition#evaluate}. */
public sealed interface WaitVerdict {

    /** Human-readable summary, for progress output. */
    String reason();

    /** Not there yet; {@code reason} says what is awaited. */
    record Waiting(String reason) implements WaitVerdict {
        public Waiting {
            Objects.requireNonNull(reason);
        }
    }

    /**
     * The app runs what was expected.
     *
     * @param revision the revision it is synced to
     * @param health its health
     */
    record Done(String revision, HealthStatusCode health) implements WaitVerdict {
        @Override
        public String reason() {
            return "Synced to " + revision + " and " + health;
        }
    }

    /** It will not get there without someone acting: the operation failed or the app is Degraded. */
    record Failed(String reason, List<ResourceProblem> resources) implements WaitVerdict {
        public Failed {
            Objects.requireNonNull(reason);
            resources = List.copyOf(resources);
        }
    }
}
