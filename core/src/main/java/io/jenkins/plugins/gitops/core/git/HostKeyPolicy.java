package io.jenkins.plugins.gitops.core.git;

import java.nio.file.Path;
import java.util.Objects;

/** How the SSH transport decides whether to trust the server's host key. Always an explicit choice. */
public sealed interface HostKeyPolicy {

    /**
     * Trust only keys listed in this known_hosts content (OpenSSH format, plain or hashed host names,
     * {@code [host]:port} for non-standard ports).
     */
    record KnownHosts(String content) implements HostKeyPolicy {
        public KnownHosts {
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * Trust on first use: a host that is not in the given known_hosts content (may be empty) is accepted and
     * remembered for the rest of this process; a host that is listed must present a listed key.
     */
    record AcceptNew(String content) implements HostKeyPolicy {
        public AcceptNew {
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * Trust on first use, recorded as OpenSSH's {@code StrictHostKeyChecking=accept-new} records it: the hosts listed
     * in this known_hosts file must present a listed key; a host that is not listed is accepted and its key is
     * appended to the file (created when absent), so that every later connection, in any process on this machine,
     * checks it.
     */
    record AcceptNewRecorded(Path knownHostsFile) implements HostKeyPolicy {
        public AcceptNewRecorded {
            Objects.requireNonNull(knownHostsFile, "knownHostsFile");
        }
    }

    /** No verification at all. Allowed only when chosen explicitly; every connection logs a warning. */
    record Off() implements HostKeyPolicy {}

    static HostKeyPolicy knownHosts(String content) {
        return new KnownHosts(content);
    }

    static HostKeyPolicy acceptNew() {
        return new AcceptNew("");
    }

    static HostKeyPolicy off() {
        return new Off();
    }
}
