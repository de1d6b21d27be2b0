package io.jenkins.plugins.gitops.core.testing.argocd;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link FakeArgoCd} before each test and closes it after, failing the test when the fake saw
 * a contract violation (a request body or a response outside swagger.json, an app state outside the CRD).
 *
 * <pre>{@code
 * @RegisterExtension
 * final FakeArgoCdExtension argo = new FakeArgoCdExtension(options -> options.stepDelay(Duration.ofMillis(2)));
 *
 * @Test
 * void waitsForHealthy() {
 *     FakeApplication app = argo.fake().createApp("guestbook");
 *     ...
 * }
 * }</pre>
 */
public final class FakeArgoCdExtension implements BeforeEachCallback, AfterEachCallback {

    private final UnaryOperator<FakeArgoCd.Builder> options;
    private FakeArgoCd fake;

    public FakeArgoCdExtension() {
        this(UnaryOperator.identity());
    }

    public FakeArgoCdExtension(UnaryOperator<FakeArgoCd.Builder> options) {
        this.options = options;
    }

    /** The running fake of the current test. */
    public FakeArgoCd fake() {
        if (fake == null) {
            throw new IllegalStateException("the fake Argo CD runs only during a test (register the extension as an"
                    + " instance field with @RegisterExtension)");
        }
        return fake;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        fake = options.apply(FakeArgoCd.builder()).start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        FakeArgoCd running = fake;
        fake = null;
        if (running != null) {
            running.close();
        }
    }
}
