package io.jenkins.plugins.gitops.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options the {@code gitops} launcher gives the tool, for benchmarks that run {@code gitops.jar} directly (to
 * compare builds or added options) yet must start it as the launcher does. Keep in step with the launcher.
 */
final class LauncherOptions {

    private static final Path TRANSPARENT_HUGE_PAGES = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    private LauncherOptions() {}

    /** {@code java} and the launcher's options, without its class data archive. */
    static List<String> java() {
        List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xms32m"));
        try {
            String mode = Files.readString(TRANSPARENT_HUGE_PAGES);
            if (mode.contains("[always]") || mode.contains("[madvise]")) {
                command.add("-XX:+UseTransparentHugePages");
            }
        } catch (IOException e) {
            // no such kernel setting: the launcher leaves the option out too
        }
        return List.copyOf(command);
    }
}
