package io.jenkins.plugins.gitops.core.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RedactionTest {

    /** Never registered: only the URL rules can remove it. */
    private static final String PASSWORD = "Unregistered-Pw-7731";

    static Stream<Arguments> urlSpellings() {
        return Stream.of(
                Arguments.of("plain http", "http://bot:PW@host/cfg.git", "http://****@host/cfg.git"),
                Arguments.of("leading space", " http://bot:PW@host/cfg.git", " http://****@host/cfg.git"),
                Arguments.of("tab", "\thttps://bot:PW@host/cfg.git", "\thttps://****@host/cfg.git"),
                Arguments.of("upper-case scheme", "HTTPS://bot:PW@host/cfg.git", "HTTPS://****@host/cfg.git"),
                Arguments.of("odd scheme", "git+ssh://bot:PW@host/cfg.git", "git+ssh://****@host/cfg.git"),
                Arguments.of("ssh with a password", "SSH://git:PW@host:22/cfg.git", "SSH://****@host:22/cfg.git"),
                Arguments.of("made-up scheme", "x-y.z1://bot:PW@host/cfg.git", "x-y.z1://****@host/cfg.git"),
                Arguments.of("non-numeric port", "http://bot:PW@host:port/cfg.git", "http://****@host:port/cfg.git"),
                Arguments.of("broken IPv6 host", "http://bot:PW@[::1/cfg.git", "http://****@[::1/cfg.git"),
                Arguments.of("empty host", "http://bot:PW@/cfg.git", "http://****@/cfg.git"),
                Arguments.of("token as user name", "https://PW@github.com/org/cfg.git", "https://****@github.com/org/cfg.git"),
                Arguments.of("empty user", "https://:PW@host/x", "https://****@host/x"),
                Arguments.of("at sign in the password", "https://bot:P@W@host/x", "https://****@host/x"),
                Arguments.of("percent-encoded password", "https://bot:P%40W%3A@host/x", "https://****@host/x"),
                Arguments.of("percent-encoded URL", "next=https%3A%2F%2Fbot%3APW%40host%2Fx",
                        "next=https%3A%2F%2F****%40host%2Fx"),
                Arguments.of("one slash, as a path normaliser leaves it", "https:/PW@host/apps", "https:/****@host/apps"),
                Arguments.of("backslashes", "http:\\\\bot:PW@host\\x", "http:\\\\****@host\\x"),
                Arguments.of("scp-like with password", "bot:PW@host:org/cfg.git", "****@host:org/cfg.git"),
                Arguments.of("no scheme, no path", "admin:PW@argo_cd.internal", "****@argo_cd.internal"),
                Arguments.of("quoted", "--repo 'http://bot:PW@host/x'", "--repo 'http://****@host/x'"),
                Arguments.of("in JSON", "{\"message\":\"http://bot:PW@host/x\"}", "{\"message\":\"http://****@host/x\"}"),
                Arguments.of("in a sentence", "Cannot clone https://bot:PW@host/x: not found",
                        "Cannot clone https://****@host/x: not found"),
                Arguments.of("bearer header", "Authorization: Bearer eyJhbGci.eyJzdWIi.c2lnbmF0", "Authorization: Bearer ****"),
                Arguments.of("basic header", "Authorization: Basic Ym90OlBXMTIz", "Authorization: Basic ****"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urlSpellings")
    void removesUrlUserInfoInAnySpelling(String name, String text, String redacted) {
        String withSecret = text.replace("PW", PASSWORD);
        String expected = redacted.replace("PW", PASSWORD);

        assertThat(Redaction.apply(withSecret)).isEqualTo(expected).doesNotContain(PASSWORD);
    }

    static Stream<String> textWithoutSecrets() {
        return Stream.of(
                "ghcr.io/example-org/guestbook:1.4.2@sha256:0d4d1bb8c5d2a3e4f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d",
                "nginx:1.25@sha256:0d4d1bb8c5d2a3e4f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d -> nginx:1.26",
                "git@github.com:org/cfg.git",
                "ssh://git@127.0.0.1:2222/config.git",
                "gitops-deploy <gitops-deploy@localhost>",
                "https://git.example.com/org/cfg.git",
                "Cannot clone http://127.0.0.1:8080/config.git: not authorized",
                "HTTP Basic authentication failed; a Bearer token is needed",
                "apps/guestbook/deployment.yaml:19  workload  a:1 -> a:2");
    }

    @ParameterizedTest
    @MethodSource("textWithoutSecrets")
    void leavesTextWithoutSecretsAlone(String text) {
        assertThat(Redaction.apply(text)).isEqualTo(text);
    }

    @Test
    void removesRegisteredSecretsWhateverCarriesThem() {
        Object owner = new Object();
        String token = "tok-" + UUID.randomUUID() + "\"\\/+ &";
        Redaction.register(owner, token);

        assertThat(Redaction.apply("invalid session: token " + token + " is malformed"))
                .isEqualTo("invalid session: token **** is malformed");
        assertThat(Redaction.apply("?token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .isEqualTo("?token=****");
        String json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("m", token).toString();
        assertThat(Redaction.apply(json)).isEqualTo("{\"m\":\"****\"}");
    }

    @Test
    void removesTheBase64OfABasicAuthenticationPair() {
        Object owner = new Object();
        String password = "pw-" + UUID.randomUUID();
        Redaction.registerBasic(owner, "deployer", password);
        String header = Base64.getEncoder().encodeToString(("deployer:" + password).getBytes(StandardCharsets.UTF_8));

        assertThat(Redaction.apply("you sent " + header)).isEqualTo("you sent ****");
    }

    @Test
    void registersTheUserInfoOfAUrlSoThatItIsRemovedAnywhere() {
        String token = "ghp" + UUID.randomUUID().toString().replace("-", "");
        Redaction.registerUserInfo(RedactionTest.class, " HTTPS://" + token + "@github.com/org/cfg.git");

        assertThat(Redaction.apply("the server said: bad credentials " + token)).doesNotContain(token);
    }

    @Test
    void forgetsTheSecretsOfAnOwnerThatIsGone() throws InterruptedException {
        String secret = "gone-" + UUID.randomUUID();
        Redaction.register(new Object(), secret);
        for (int i = 0; i < 50 && Redaction.apply(secret).equals(Redaction.MASK); i++) {
            System.gc();
            Thread.sleep(20);
        }

        assertThat(Redaction.apply(secret)).isEqualTo(secret);
    }

    @Test
    void scrubsTheMessagesOfACauseChainAndKeepsTheStack() {
        String secret = "scrub-" + UUID.randomUUID();
        Object owner = new Object();
        Redaction.register(owner, secret);
        IllegalStateException inner = new IllegalStateException("echo " + secret);
        RuntimeException outer = new RuntimeException("wrapped", inner);

        Throwable scrubbed = Redaction.scrub(outer);

        StringWriter trace = new StringWriter();
        scrubbed.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(secret).contains("java.lang.IllegalStateException: echo ****")
                .contains(RedactionTest.class.getName());
        assertThat(Redaction.scrub(new IllegalStateException("nothing secret"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWriterRedactsSecretsWrittenInPieces() throws IOException {
        String secret = "piece-" + UUID.randomUUID();
        Object owner = new Object();
        Redaction.register(owner, secret);
        StringWriter out = new StringWriter();
        try (RedactedWriter writer = new RedactedWriter(out)) {
            writer.write("token " + secret.substring(0, 6));
            writer.write(secret.substring(6) + " refused\nnext line");
        }

        assertThat(out.toString()).isEqualTo("token **** refused\nnext line");
    }
}
