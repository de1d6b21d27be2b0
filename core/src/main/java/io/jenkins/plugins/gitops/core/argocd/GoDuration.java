package io.jenkins.plugins.gitops.core.argocd;

import java.time.Duration;

/** Durations in Go's {@code time.Duration.String()} form ({@code 5s}, {@code 3m0s}, {@code 1h0m0s}, {@code 500ms}), as Argo CD expects them. */
final class GoDuration {

    private GoDuration() {}

    static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + d);
        }
        if (d.isZero()) {
            return "0s";
        }
        if (d.toSeconds() == 0) {
            return d.toMillis() + "ms";
        }
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        String seconds = d.toMillisPart() == 0
                ? d.toSecondsPart() + "s"
                : String.format(java.util.Locale.ROOT, "%d.%03ds", d.toSecondsPart(), d.toMillisPart())
                        .replaceAll("0+s$", "s");
        if (hours > 0) {
            return hours + "h" + minutes + "m" + seconds;
        }
        return minutes > 0 ? minutes + "m" + seconds : seconds;
    }
}
