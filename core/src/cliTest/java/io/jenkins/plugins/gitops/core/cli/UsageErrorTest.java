package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every refusal of command-line input, in every command: exit 2, the first stderr line names the argument and the
 * problem (exactly), nothing on stdout but, with {@code --json}, one error object; nothing is written. No server is
 * needed: each refusal comes before any network or file access ({@code DIR} is an empty directory, {@code FULL} one
 * with a file in it, and nothing listens at {@code 127.0.0.1:9}).
 */
class UsageErrorTest {

    @TempDir
    Path empty;

    @TempDir
    Path full;

    @BeforeEach
    void fill() throws IOException {
        Files.writeString(full.resolve("keep.yaml"), "a: b\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            set-image DIR --imge nginx --tag 1                          | gitops set-image: unknown option '--imge' (did you mean '--image'?)
            set-image DIR --image nginx --tag 1 --bogus=hunter2        | gitops set-image: unknown option '--bogus'
            set-image DIR --image nginx --tag 1 extra                  | gitops set-image: unexpected argument 'extra'
            set-image DIR --image nginx                                | gitops set-image: nothing to set: give --tag, --digest, --new-name and/or --strategy
            set-image DIR --image nginx --tag 1 --kind workload --key a.b | gitops set-image: --key: only for --kind key-path (implied by --key), not --kind workload
            set-image DIR --image nginx --tag 1 --kind argocd-source   | gitops set-image: --kind: argocd-source needs --argocd-source APP
            set-image DIR --image nginx --tag 1 --kind key-path        | gitops set-image: --kind: key-path needs --key KEYPATH
            push DIR --timeout 5x                                      | gitops push: invalid value for option '--timeout': '5x' is not a duration (e.g. 300s, 5m, 1h; a plain number is seconds)
            update --repo http://127.0.0.1:9/c.git --image nginx --tag 1 --timeout 0.5s | gitops update: invalid value for option '--timeout': '0.5s' is not a duration (e.g. 300s, 5m, 1h; a plain number is seconds)
            update --repo http://127.0.0.1:9/c.git --image nginx --tag 1 --workdir FULL | gitops update: --workdir: 'FULL' is not empty; give a new or empty directory
            update --repo http://127.0.0.1:9/c.git --image nginx --tag 1 --branch a..b | gitops update: --branch: 'a..b' is not a valid branch name
            update --repo http://127.0.0.1:9/c.git --image nginx --tag 1 --push-branch x.lock | gitops update: --push-branch: 'x.lock' is not a valid branch name
            update --repo http://127.0.0.1:9/c.git --image nginx --tag 1 --push-branch refs/heads/ | gitops update: --push-branch: 'refs/heads/' is not a valid branch name
            sync guestbook --server http://127.0.0.1:9 --token t --timeout -5s | gitops sync: invalid value for option '--timeout': '-5s' is not a positive duration
            sync guestbook --server http://127.0.0.1:9 --token t --timeout 1y | gitops sync: invalid value for option '--timeout': '1y' is not a duration (e.g. 300s, 5m, 1h; a plain number is seconds)
            sync guestbook --app other --server http://127.0.0.1:9 --token t | gitops sync: APP: 'guestbook' and --app 'other' name two applications; give one
            nosuch                                                     | gitops: unknown command 'nosuch'
            """)
    void aRefusalExitsBadInputWithOneLineNamingTheArgument(String command, String firstLine) {
        String[] args = args(command);

        Result plain = run(args);
        Result json = run(concat(args, "--json"));

        assertThat(plain.exit()).as(plain.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(plain.errLine()).isEqualTo(firstLine.replace("FULL", full.toString()));
        assertThat(plain.out()).isEmpty();
        assertThat(plain.err()).doesNotContain("hunter2").doesNotContain("Exception").doesNotContain("Usage:");
        assertThat(json.exit()).as(json.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        JsonNode object = readJson(json.out());
        assertThat(object.path("outcome").asText()).isEqualTo("ERROR");
        assertThat(object.path("exitCode").asInt()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(object.path("error").path("problem").asText()).isEqualTo("bad-argument");
        assertThat(firstLine.replace("FULL", full.toString())).endsWith(": " + object.path("error").path("message").asText());
        assertThat(empty).isEmptyDirectory();
        assertThat(full).isDirectoryContaining(path -> path.getFileName().toString().equals("keep.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            set-image DIR --imge nginx --tag 1 | gitops set-image: see 'gitops set-image --help'
            push DIR --timeout 5x              | gitops push: see 'gitops push --help'
            nosuch                             | gitops: see 'gitops --help'
            """)
    void aParsingErrorSaysWhereToReadHowTheCommandIsUsed(String command, String secondLine) {
        Result result = run(args(command));

        assertThat(result.err().lines().toList()).hasSize(2).last().isEqualTo(secondLine);
    }

    private String[] args(String command) {
        return command.strip().replace("DIR", empty.toString()).replace("FULL", full.toString()).split(" +");
    }

    private static String[] concat(String[] args, String more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(more);
        return all.toArray(String[]::new);
    }

    private static JsonNode readJson(String out) {
        try {
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            throw new AssertionError("not one JSON object: " + out, e);
        }
    }
}
