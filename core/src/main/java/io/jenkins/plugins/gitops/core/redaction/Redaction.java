package io.jenkins.plugins.gitops.core.redaction;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that removes secrets from text before it leaves the process: every message, JSON field, progress
 * line and exception text of the engine and the command line goes through {@link #apply(String)}.
 *
 * <p>It removes
 * <ul>
 *   <li>the user info of any URL, however it is spelt: any scheme in any case ({@code HTTP://}, {@code git+ssh://},
 *       {@code x-y.z://}), surrounding whitespace or tabs, a broken host or port, an empty host, a token as the user
 *       name, percent-encoded separators ({@code https%3A%2F%2Fuser%3Apw%40host}), and the scp-like
 *       {@code user:password@host:path} form. A URL keeps its scheme and host: {@code https://****@host/x.git}. Only
 *       the login name of an SSH URL without a password stays ({@code ssh://git@host/x}): it is not a secret, and a
 *       diagnosis needs it;</li>
 *   <li>the credentials of an HTTP {@code Authorization} header ({@code Bearer ...}, {@code Basic ...});</li>
 *   <li>every secret the process holds, wherever it appears (a server echoing it back in an error body, a library
 *       quoting its input), also percent-encoded, JSON-escaped, and as the Base64 of a {@code user:password} pair.
 *       Secrets are registered where they enter the process (the credential value types of the engine, the
 *       command line's option, file and environment readers), so no caller can forget one.</li>
 * </ul>
 * A secret shorter than {@value #MIN_SECRET_LENGTH} characters is not searched for as such: masking every
 * occurrence of a two-letter string would garble every message (it is still removed from URLs).
 *
 * <p>A secret is held as long as the object that registered it is reachable (weakly, by identity), so a
 * long-running process (a Jenkins controller) does not accumulate the secrets of finished builds.
 */
public final class Redaction {

    /** What a removed secret reads as. */
    public static final String MASK = "****";
    /** Shorter secrets are removed from URLs only. */
    public static final int MIN_SECRET_LENGTH = 4;

    /**
     * {@code scheme://userinfo@}: a scheme in any case, {@code ://} (also {@code :/} as a path normaliser leaves it,
     * {@code :\\}, or percent-encoded), and the user
     * info up to the last {@code @} (or {@code %40}) before the path, query, whitespace or a quote.
     */
    private static final Pattern URL_USER_INFO = Pattern.compile(
            "(?i)\\b([a-z][a-z0-9+.\\-]*)(:/{1,3}|:\\\\{1,2}|%3a%2f%2f)([^\\s'\"<>`/?#\\\\]*)(@|%40)");
    /**
     * The scp-like {@code user:password@host} form, starting where a word starts (not inside a path such as
     * {@code registry/app:1.0@sha256:...}), and never an image digest ({@code name:tag@sha256:hex}).
     */
    private static final Pattern SCP_USER_PASSWORD = Pattern.compile(
            "(?i)(?<![\\w.+\\-/:@%~])[\\w.+\\-~%!$&*=]+:[^\\s'\"<>`/@\\\\]+@"
                    + "(?![a-z0-9]+(?:[+._\\-][a-z0-9]+)*:[0-9a-f]{32,})(?=[\\w\\[.\\-])");
    /** An HTTP authorization header's credentials (not a word: they hold a digit, dot, plus, slash or padding). */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)\\b(bearer|basic)(\\s+)(?=[a-z0-9._~+/\\-]*[0-9._+/=])[a-z0-9._~+/\\-]{8,}=*");

    private static final ReferenceQueue<Object> RELEASED = new ReferenceQueue<>();
    private static final Set<Registration> REGISTRATIONS = ConcurrentHashMap.newKeySet();
    /** Every form of every live secret, longest first; rebuilt when a registration comes or goes. */
    private static volatile List<String> forms = List.of();

    private Redaction() {}

    /** The secrets of one owner; identity-based, so that equal credential records are tracked apart. */
    private static final class Registration extends WeakReference<Object> {
        final List<String> forms;

        Registration(Object owner, List<String> forms) {
            super(owner, RELEASED);
            this.forms = forms;
        }
    }

    /**
     * Registers secrets held by {@code owner}: from now on, and as long as {@code owner} is reachable, they never leave
     * the process. Null and blank secrets are ignored.
     */
    public static void register(Object owner, String... secrets) {
        List<String> derived = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isBlank()) {
                derived.addAll(formsOf(secret.strip()));
                if (!secret.equals(secret.strip())) {
                    derived.addAll(formsOf(secret));
                }
            }
        }
        if (derived.isEmpty()) {
            return;
        }
        REGISTRATIONS.add(new Registration(owner, List.copyOf(derived)));
        rebuild();
    }

    /**
     * Registers a user name and password used together for HTTP basic authentication: the password, and the Base64
     * of {@code user:password} that an echoed {@code Authorization} header would show.
     */
    public static void registerBasic(Object owner, String username, String password) {
        if (password == null || password.isEmpty()) {
            return;
        }
        String pair = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        register(owner, password, pair);
    }

    /**
     * Registers the user info of a URL (as given on a command line), which may be a token or a password: the whole user
     * info and its password part, but not the user name part of {@code user:password} (masking a plain name everywhere
     * would garble messages), nor an SSH login name.
     */
    public static void registerUserInfo(Object owner, String url) {
        Matcher m = url == null ? null : URL_USER_INFO.matcher(url);
        if (m != null && m.find() && isSshLogin(m.group(1), m.group(3))) {
            return; // a login name, which masking everywhere would garble messages with
        }
        userInfo(url).ifPresent(info -> {
            int colon = info.indexOf(':');
            register(owner, info, colon < 0 ? null : info.substring(colon + 1));
        });
    }

    /**
     * The user info of {@code url} in any of the spellings {@link #apply} removes, e.g. {@code bot:pw} for
     * {@code " HTTP://bot:pw@host:port/x"} or {@code user:pw@host:path}; empty when it has none.
     */
    public static Optional<String> userInfo(String url) {
        if (url == null) {
            return Optional.empty();
        }
        Matcher m = URL_USER_INFO.matcher(url);
        if (m.find()) {
            return Optional.of(m.group(3));
        }
        Matcher scp = SCP_USER_PASSWORD.matcher(url);
        if (scp.find()) {
            return Optional.of(scp.group().substring(0, scp.group().length() - 1));
        }
        return Optional.empty();
    }

    /** {@code text} with every URL user info, authorization header and registered secret replaced by {@link #MASK}. */
    public static String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        expunge();
        String result = text;
        for (String secret : forms) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        if (result.indexOf('@') >= 0 || result.contains("%40")) {
            result = URL_USER_INFO.matcher(result).replaceAll(m -> Matcher.quoteReplacement(
                    isSshLogin(m.group(1), m.group(3)) ? m.group() : m.group(1) + m.group(2) + MASK + m.group(4)));
            result = SCP_USER_PASSWORD.matcher(result).replaceAll(Matcher.quoteReplacement(MASK + "@"));
        }
        return AUTHORIZATION.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
    }

    /** An SSH URL's login name alone ({@code ssh://git@host}): not a secret, and what a diagnosis needs. */
    private static boolean isSshLogin(String scheme, String userInfo) {
        String lower = scheme.toLowerCase(java.util.Locale.ROOT);
        return (lower.equals("ssh") || lower.equals("git+ssh") || lower.equals("ssh+git"))
                && !userInfo.isEmpty() && userInfo.chars().noneMatch(c -> c == ':' || c == '%');
    }

    /**
     * {@code error} as it may be shown or kept as a cause: itself when no message in its chain holds a secret, else a
     * copy of the chain whose messages went through {@link #apply} (each naming the original exception class), with
     * the original stack traces.
     */
    public static Throwable scrub(Throwable error) {
        if (error == null || !holdsSecret(error)) {
            return error;
        }
        Throwable cause = error.getCause() == null || error.getCause() == error ? null : scrub(error.getCause());
        RedactedException copy = new RedactedException(
                error.getClass().getName() + (error.getMessage() == null ? "" : ": " + apply(error.getMessage())), cause);
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    private static boolean holdsSecret(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.equals(apply(message))) {
                return true;
            }
        }
        return false;
    }

    /** A redacted stand-in for an exception whose message held a secret. */
    private static final class RedactedException extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage(); // already "original.Class: message"
        }
    }

    private static List<String> formsOf(String secret) {
        Set<String> result = new LinkedHashSet<>();
        if (secret.length() >= MIN_SECRET_LENGTH) {
            result.add(secret);
            result.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            result.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
            result.add(jsonEscaped(secret));
        }
        return List.copyOf(result);
    }

    private static String jsonEscaped(String text) {
        StringBuilder s = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04X", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.toString();
    }

    private static void expunge() {
        boolean released = false;
        while (RELEASED.poll() instanceof Registration gone) {
            REGISTRATIONS.remove(gone);
            released = true;
        }
        if (released) {
            rebuild();
        }
    }

    private static synchronized void rebuild() {
        Set<String> all = new LinkedHashSet<>();
        for (Registration registration : REGISTRATIONS) {
            if (registration.get() != null) {
                all.addAll(registration.forms);
            }
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        forms = List.copyOf(sorted);
    }
}
