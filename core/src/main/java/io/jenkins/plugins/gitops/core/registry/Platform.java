package io.jenkins.plugins.gitops.core.registry;

import java.util.Locale;

/**
 * A platform {@code os/architecture[/variant]}, as in {@code docker --platform}.
 *
 * @param os           the operating system ({@code linux})
 * @param architecture the CPU architecture ({@code amd64}, {@code arm64})
 * @param variant      the variant ({@code v8}), or {@code null} for any
 */
public record Platform(String os, String architecture, String variant) {

    /** The platform judged when none is named. */
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);

    /**
     * Parses {@code os/architecture[/variant]}.
     *
     * @throws IllegalArgumentException naming the text when it has another shape
     */
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().toLowerCase(Locale.ROOT).split("/", -1);
        if (parts.length < 2 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("platform '" + text + "' is not os/architecture[/variant], e.g. linux/arm64");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** Whether an image for {@code os/architecture/variant} runs here: a variant named here must be equal. */
    public boolean matches(String os, String architecture, String variant) {
        return this.os.equals(os) && this.architecture.equals(architecture)
                && (this.variant == null || this.variant.equals(variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
