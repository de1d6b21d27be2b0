package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Asserts that closing (or checking) a fake fails the test with a given contract violation. */
final class AssertionErrorCatcher {

    private AssertionErrorCatcher() {}

    static void assertThrowsContaining(Runnable action, String text) {
        Throwable thrown = catchThrowable(action::run);
        assertThat(thrown).isInstanceOf(AssertionError.class).hasMessageContaining(text);
    }
}
