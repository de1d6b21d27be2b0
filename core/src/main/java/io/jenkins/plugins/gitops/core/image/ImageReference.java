package io.jenkins.plugins.gitops.core.image;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A container image reference {@code [registry[:port]/]path[:tag][@digest]}, as written: nothing is added
 * by parsing, so {@link #toString()} gives back the input. Matching uses {@link #identity()}, which
 * applies Docker's defaults ({@code nginx}, {@code library/nginx}, {@code docker.io/library/nginx} and
 * {@code index.docker.io/library/nginx} are one image).
 *
 * @param registry the registry host with optional port ({@code localhost:5000}), or {@code null} when
 *                 none was written
 * @param path     the repository path ({@code library/nginx}), never empty
 * @param tag      the tag, or {@code null}
 * @param digest   the digest ({@code sha256:<64 hex>}), or {@code null}
 */
public record ImageReference(String registry, String path, String tag, String digest) {

    /** The registry Docker uses when a reference names none. */
    public static final String DEFAULT_REGISTRY = "docker.io";

    private static final int MAX_TAG_LENGTH = 128;
    private static final Pattern DOMAIN_COMPONENT = Pattern.compile("[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]");
    private static final Pattern PORT = Pattern.compile("[0-9]+");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+]");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]*");
    private static final Pattern DIGEST_ALGORITHM = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    /** Validates the parts; prefer {@link #parse(String)} for text. */
    public ImageReference {
        String written = format(registry, path, tag, digest);
        if (registry != null) {
            checkRegistry(written, registry);
        }
        checkPath(written, path);
        if (tag != null) {
            checkTag(written, tag);
        }
        if (digest != null) {
            checkDigest(written, digest);
        }
    }

    /**
     * Parses a reference by the distribution grammar.
     *
     * @throws InvalidImageReferenceException naming the part that is wrong: empty input, whitespace,
     *         uppercase repository, bad tag characters, a tag over 128 characters, a digest with an unknown
     *         algorithm or a wrong length, or a digest written as a tag ({@code image:sha256:...})
     */
    public static ImageReference parse(String reference) {
        if (reference == null || reference.isEmpty()) {
            throw new InvalidImageReferenceException(String.valueOf(reference), "the reference is empty");
        }
        for (int i = 0; i < reference.length(); i++) {
            if (Character.isWhitespace(reference.charAt(i)) || Character.isISOControl(reference.charAt(i))) {
                throw new InvalidImageReferenceException(reference,
                        "whitespace or a control character at position " + (i + 1) + " (remove it)");
            }
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (digest.isEmpty()) {
                throw new InvalidImageReferenceException(reference, "the digest after '@' is empty");
            }
        }
        int lastSlash = rest.lastIndexOf('/');
        String lastSegment = rest.substring(lastSlash + 1);
        int firstColon = lastSegment.indexOf(':');
        if (firstColon >= 0 && lastSegment.indexOf(':', firstColon + 1) >= 0) {
            String afterColon = lastSegment.substring(firstColon + 1);
            if (afterColon.matches("(?i)sha(256|384|512):.*")) {
                throw new InvalidImageReferenceException(reference, "a digest is written as a tag ('"
                        + afterColon + "'); write it after '@', as in '"
                        + rest.substring(0, lastSlash + 1 + firstColon) + "@" + afterColon + "'");
            }
            throw new InvalidImageReferenceException(reference,
                    "tag '" + afterColon + "' contains ':' (only letters, digits, '_', '.' and '-' are allowed)");
        }
        String tag = null;
        if (firstColon >= 0) {
            tag = lastSegment.substring(firstColon + 1);
            rest = rest.substring(0, lastSlash + 1 + firstColon);
            if (tag.isEmpty()) {
                throw new InvalidImageReferenceException(reference, "the tag after ':' is empty");
            }
        }
        if (rest.isEmpty()) {
            throw new InvalidImageReferenceException(reference, "the repository name is empty");
        }
        String registry = null;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String first = rest.substring(0, slash);
            // Docker also takes an uppercase first component for a host; naming the case error is more useful.
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                path = rest.substring(slash + 1);
            }
        }
        return new ImageReference(registry, path, tag, digest);
    }

    /** Whether {@code text} parses as an image reference. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidImageReferenceException e) {
            return false;
        }
    }

    /** The name as written: {@code registry/path}, or {@code path} when no registry was written. */
    public String name() {
        return registry == null ? path : registry + "/" + path;
    }

    /** The registry a client would contact: the written one, or {@code docker.io}. */
    public String effectiveRegistry() {
        if (registry == null || registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            return DEFAULT_REGISTRY;
        }
        return registry.toLowerCase(Locale.ROOT);
    }

    /**
     * The normalised name used for matching, without tag or digest: {@code docker.io/library/nginx} for
     * {@code nginx}, {@code library/nginx}, {@code docker.io/library/nginx} and
     * {@code index.docker.io/library/nginx:1.25}; {@code localhost:5000/app} for {@code localhost:5000/app}.
     */
    public String identity() {
        String effective = effectiveRegistry();
        String normalisedPath = effective.equals(DEFAULT_REGISTRY) && path.indexOf('/') < 0 ? "library/" + path : path;
        return effective + "/" + normalisedPath;
    }

    /** Whether both references name the same image (same {@link #identity()}). */
    public boolean sameImage(ImageReference other) {
        return identity().equals(other.identity());
    }

    /** The last path component ({@code nginx} for {@code docker.io/library/nginx}). */
    public String shortName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** This reference with another name ({@code registry/path}, no tag or digest), keeping tag and digest. */
    public ImageReference withName(String name) {
        ImageReference parsed = parse(name);
        if (parsed.tag() != null || parsed.digest() != null) {
            throw new InvalidImageReferenceException(name, "a new name must not carry a tag or digest");
        }
        return new ImageReference(parsed.registry(), parsed.path(), tag, digest);
    }

    /** This reference with another tag ({@code null} removes it). */
    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, path, newTag, digest);
    }

    /** This reference with another digest ({@code null} removes it). */
    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, path, tag, newDigest);
    }

    /** The reference as written: {@code [registry/]path[:tag][@digest]}. */
    @Override
    public String toString() {
        return format(registry, path, tag, digest);
    }

    /** Checks a tag on its own (for fields that hold only a tag). */
    public static void checkTag(String tag) {
        checkTag(tag, tag);
    }

    /** Checks a digest on its own ({@code sha256:<64 hex>}). */
    public static void checkDigest(String digest) {
        checkDigest(digest, digest);
    }

    private static String format(String registry, String path, String tag, String digest) {
        StringBuilder out = new StringBuilder();
        if (registry != null) {
            out.append(registry).append('/');
        }
        out.append(path);
        if (tag != null) {
            out.append(':').append(tag);
        }
        if (digest != null) {
            out.append('@').append(digest);
        }
        return out.toString();
    }

    private static void checkRegistry(String written, String registry) {
        String host = registry;
        int colon = registry.lastIndexOf(':');
        if (colon >= 0 && !registry.endsWith("]")) {
            String port = registry.substring(colon + 1);
            if (!PORT.matcher(port).matches()) {
                throw new InvalidImageReferenceException(written, "registry port '" + port + "' is not a number");
            }
            host = registry.substring(0, colon);
        }
        if (IPV6.matcher(host).matches()) {
            return;
        }
        if (host.isEmpty()) {
            throw new InvalidImageReferenceException(written, "the registry host is empty");
        }
        for (String component : host.split("\\.", -1)) {
            if (!DOMAIN_COMPONENT.matcher(component).matches()) {
                throw new InvalidImageReferenceException(written, "registry host '" + host + "' is not a valid host name");
            }
        }
    }

    private static void checkPath(String written, String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidImageReferenceException(written, "the repository name is empty");
        }
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            throw new InvalidImageReferenceException(written, "repository '" + path + "' must be lowercase");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw new InvalidImageReferenceException(written, component.isEmpty()
                        ? "repository '" + path + "' has an empty path component"
                        : "repository path component '" + component + "' is invalid (lowercase letters and digits,"
                                + " separated by '.', '_', '__' or '-')");
            }
        }
    }

    private static void checkTag(String written, String tag) {
        if (tag.isEmpty()) {
            throw new InvalidImageReferenceException(written, "the tag is empty");
        }
        if (tag.length() > MAX_TAG_LENGTH) {
            throw new InvalidImageReferenceException(written,
                    "tag is " + tag.length() + " characters long; the limit is " + MAX_TAG_LENGTH);
        }
        if (!TAG.matcher(tag).matches()) {
            throw new InvalidImageReferenceException(written, "tag '" + tag
                    + "' has invalid characters (letters, digits, '_', '.' and '-' only, not starting with '.' or '-')");
        }
    }

    private static void checkDigest(String written, String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0) {
            throw new InvalidImageReferenceException(written, "digest '" + digest + "' must be written 'sha256:<hex>'");
        }
        String algorithm = digest.substring(0, colon);
        String hex = digest.substring(colon + 1);
        if (!DIGEST_ALGORITHM.matcher(algorithm).matches()) {
            throw new InvalidImageReferenceException(written, "digest algorithm '" + algorithm + "' is malformed");
        }
        int expected = switch (algorithm) {
            case "sha256" -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            default -> throw new InvalidImageReferenceException(written,
                    "digest algorithm '" + algorithm + "' is not supported (sha256, sha384 or sha512)");
        };
        if (!HEX.matcher(hex).matches()) {
            throw new InvalidImageReferenceException(written, "digest '" + digest + "' must be lowercase hexadecimal after '"
                    + algorithm + ":'");
        }
        if (hex.length() != expected) {
            throw new InvalidImageReferenceException(written, algorithm + " digest must have " + expected
                    + " hex characters, got " + hex.length());
        }
    }
}
