package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The subject of the commit a push makes says what changed, with and without a set-image journal. With one, it names
 * the image and both versions; without one (files edited by other means), the default template's first line has
 * nothing to say and the subject names the files (their number past three), never the body's next line
 * ({@code Files: ...}).
 */
class CommitSubjectTest {

    private static final String IMAGE = "ghcr.io/example-org/guestbook";
    private static final List<String> APPS = List.of("billing", "cart", "guestbook", "search");
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: APP}
            spec:
              template:
                spec:
                  containers:
                  - name: app
                    image: ghcr.io/example-org/guestbook:TAG
            """;

    @TempDir
    Path temp;

    /**
     * @param edit   {@code set-image} options (journalled), or {@code hand:} and the apps whose file is edited by hand
     * @param push   extra {@code push} options
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            --tag 1.5.0                              |                    | Update ghcr.io/example-org/guestbook from 1.4.2 to 1.5.0
            --tag 1.5.0                              | --app guestbook    | Update ghcr.io/example-org/guestbook from 1.4.2 to 1.5.0
            --tag 1.5.0 --path apps/guestbook        |                    | Update ghcr.io/example-org/guestbook from 1.4.2 to 1.5.0
            --digest sha256:4e1d9a4c0f2b3a7e6d5c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6 | | Update ghcr.io/example-org/guestbook from 1.4.2 to sha256:4e1d9a4c0f2b
            hand: guestbook                          |                    | Update apps/guestbook/deployment.yaml
            hand: guestbook                          | --app guestbook    | Update guestbook: apps/guestbook/deployment.yaml
            hand: billing cart guestbook             |                    | Update apps/billing/deployment.yaml, apps/cart/deployment.yaml, apps/guestbook/deployment.yaml
            hand: billing cart guestbook search      |                    | Update 4 files
            hand: billing cart guestbook search      | --app shop         | Update shop: 4 files
            hand: guestbook                          | --message ${image} | Update apps/guestbook/deployment.yaml
            """)
    void theSubjectSaysWhatChanged(String edit, String push, String subject) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String app : APPS) {
            files.put("apps/" + app + "/deployment.yaml", DEPLOYMENT.replace("APP", app).replace("TAG", "1.4.2"));
        }
        BareRepository bare = BareRepository.create(Files.createDirectories(temp.resolve("served")), "config.git", "main",
                files);
        Path checkout = temp.resolve("checkout");
        GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
        if (edit.startsWith("hand:")) {
            for (String app : edit.substring("hand:".length()).trim().split(" ")) {
                Files.writeString(checkout.resolve("apps/" + app + "/deployment.yaml"),
                        DEPLOYMENT.replace("APP", app).replace("TAG", "1.4.3"));
            }
        } else {
            List<String> args = new ArrayList<>(List.of("set-image", checkout.toString(), "--image", IMAGE));
            args.addAll(List.of(edit.split(" ")));
            Result setImage = run(args.toArray(String[]::new));
            assertThat(setImage.exit()).as(setImage.toString()).isZero();
        }
        List<String> args = new ArrayList<>(List.of("push", checkout.toString(), "--repo", bare.path().toString()));
        if (push != null) {
            args.addAll(List.of(push.split(" ")));
        }

        Result result = run(args.toArray(String[]::new));

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(bare.subjects("main").get(0)).isEqualTo(subject);
    }
}
