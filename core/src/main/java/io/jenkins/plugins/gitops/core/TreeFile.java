package io.jenkins.plugins.gitops.core;

import java.io.IOException;

/**
 * A file of a commit's tree, before anything of it is on disk; its content is read only when asked for. What decides
 * which files a checkout writes ({@code git.CheckoutSelection}) and what an edit can reach ({@code manifest.EditReach})
 * look at the same thing.
 */
public interface TreeFile {
    /** Relative to the repository root, {@code /} separated. */
    String path();

    boolean symbolicLink();

    long size() throws IOException;

    byte[] content() throws IOException;
}
