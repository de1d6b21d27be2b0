package io.jenkins.plugins.gitops.core.git;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Decides on SSH host keys from the caller's {@link HostKeyPolicy} alone: never from {@code ~/.ssh}, never by
 * asking a user. Remembers why it refused a key so that the failure can say so.
 */
final class PolicyServerKeyDatabase implements ServerKeyDatabase {

    /** Keys accepted under {@link HostKeyPolicy.AcceptNew}, for the rest of this process. */
    private static final Map<String, PublicKey> FIRST_SEEN = new ConcurrentHashMap<>();

    private final HostKeyPolicy policy;
    private final List<KnownHost> knownHosts;
    private final GitProgress progress;
    private volatile String rejection;

    private record KnownHost(KnownHostEntry entry, PublicKey key, boolean revoked) {}

    PolicyServerKeyDatabase(HostKeyPolicy policy, GitProgress progress) {
        this.policy = policy;
        this.progress = progress;
        if (policy instanceof HostKeyPolicy.KnownHosts known) {
            this.knownHosts = parse(known.content());
        } else if (policy instanceof HostKeyPolicy.AcceptNew acceptNew) {
            this.knownHosts = parse(acceptNew.content());
        } else if (policy instanceof HostKeyPolicy.AcceptNewRecorded recorded) {
            this.knownHosts = parse(read(recorded.knownHostsFile()));
        } else {
            this.knownHosts = List.of();
        }
    }

    /** Why the last host key was refused, or {@code null}. */
    String rejection() {
        return rejection;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        HostPort target = HostPort.of(connectAddress);
        List<PublicKey> keys = new ArrayList<>();
        for (KnownHost known : knownHosts) {
            if (!known.revoked() && known.entry().isHostMatch(target.host(), target.port())) {
                keys.add(known.key());
            }
        }
        return keys;
    }

    @Override
    public boolean accept(
            String connectAddress,
            InetSocketAddress remoteAddress,
            PublicKey serverKey,
            Configuration config,
            CredentialsProvider provider) {
        HostPort target = HostPort.of(connectAddress);
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        if (policy instanceof HostKeyPolicy.Off) {
            progress.warn("SSH host key verification is OFF: accepting " + fingerprint + " from " + connectAddress
                    + " without checking it. Anyone between you and the server can read and change what is pushed.");
            return true;
        }
        // A revocation wins wherever it stands, as in OpenSSH: a line listing the same key earlier does not undo it.
        for (KnownHost known : knownHosts) {
            if (known.revoked() && known.entry().isHostMatch(target.host(), target.port())
                    && KeyUtils.compareKeys(known.key(), serverKey)) {
                return refuse("The SSH host key " + fingerprint + " of " + connectAddress
                        + " is marked @revoked in the known hosts.");
            }
        }
        boolean listed = false;
        for (KnownHost known : knownHosts) {
            if (known.revoked() || !known.entry().isHostMatch(target.host(), target.port())) {
                continue;
            }
            listed = true;
            if (KeyUtils.compareKeys(known.key(), serverKey)) {
                return true;
            }
        }
        if (listed) {
            return refuse("The SSH host key of " + connectAddress + " has CHANGED: it presented " + fingerprint
                    + ", which is not the key listed in the known hosts. If the server's key was rotated on purpose,"
                    + " update the known hosts; otherwise someone may be intercepting the connection.");
        }
        if (policy instanceof HostKeyPolicy.AcceptNew) {
            PublicKey first = FIRST_SEEN.computeIfAbsent(connectAddress, address -> {
                progress.info("Accepting new SSH host key " + fingerprint + " for " + address + " (accept-new).");
                return serverKey;
            });
            if (KeyUtils.compareKeys(first, serverKey)) {
                return true;
            }
            return refuse("The SSH host key of " + connectAddress + " changed during this run: it presented "
                    + fingerprint + " after another key was accepted first.");
        }
        if (policy instanceof HostKeyPolicy.AcceptNewRecorded recorded) {
            String refusal = record(recorded.knownHostsFile(), target, connectAddress, serverKey);
            if (refusal != null) {
                return refuse(refusal);
            }
            progress.info("Accepting new SSH host key " + fingerprint + " for " + connectAddress + " (accept-new),"
                    + " recorded in " + recorded.knownHostsFile());
            return true;
        }
        return refuse("The SSH host " + connectAddress + " is not in the known hosts (it presented " + fingerprint
                + "). Add its line to the known hosts you pass (e.g. from `ssh-keyscan -p PORT HOST`),"
                + " or choose accept-new.");
    }

    /** The known hosts file's content; empty when there is no file yet. */
    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT, "Cannot read the known hosts file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends {@code address key} ({@code address} is JGit's connect address, {@code host} or {@code [host]:port}, the
     * known_hosts form) under a file lock, after reading the file again under that lock: when another connection on
     * this machine recorded the host meanwhile, its key decides, so two first connections cannot both be trusted.
     *
     * @return null when the key is (now) recorded, otherwise why it is refused
     */
    private static String record(Path file, HostPort target, String address, PublicKey key) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel channel = FileChannel.open(
                            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                channel.lock(); // held until the channel closes
                ByteBuffer content = ByteBuffer.allocate(Math.toIntExact(channel.size()));
                while (content.hasRemaining() && channel.read(content, content.position()) >= 0) {
                    // read it all
                }
                String text = new String(content.array(), StandardCharsets.UTF_8);
                for (KnownHost known : parse(text)) {
                    if (known.entry().isHostMatch(target.host(), target.port())) {
                        boolean same = KeyUtils.compareKeys(known.key(), key);
                        return same && !known.revoked() ? null : "The SSH host key of " + address + " presented now, "
                                + KeyUtils.getFingerPrint(key) + ", is not the one recorded for it in " + file
                                + " by another connection meanwhile.";
                    }
                }
                String line = (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + address + " "
                        + PublicKeyEntry.toString(key) + "\n";
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                long end = channel.size();
                while (bytes.hasRemaining()) {
                    end += channel.write(bytes, end);
                }
                return null;
            }
        } catch (IOException | ArithmeticException e) {
            return "Cannot record the SSH host key of " + address + " in " + file + ": " + e.getMessage();
        }
    }

    private boolean refuse(String reason) {
        rejection = reason;
        return false;
    }

    private static List<KnownHost> parse(String content) {
        List<KnownHost> result = new ArrayList<>();
        try {
            for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(content)))) {
                if (entry.getKeyEntry() == null) {
                    continue;
                }
                String marker = entry.getMarker();
                if (marker != null && marker.equalsIgnoreCase("cert-authority")) {
                    continue; // host certificates are not supported: such lines trust nothing here
                }
                PublicKey key = entry.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
                if (key != null) {
                    result.add(new KnownHost(entry, key, marker != null && marker.equalsIgnoreCase("revoked")));
                }
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT, "The known hosts content cannot be parsed: " + e.getMessage(), e);
        }
        return result;
    }

    private record HostPort(String host, int port) {
        /** Parses JGit's connect address: {@code host} for port 22, {@code [host]:port} otherwise. */
        static HostPort of(String connectAddress) {
            if (connectAddress.startsWith("[")) {
                int close = connectAddress.indexOf("]:");
                if (close > 0) {
                    return new HostPort(
                            connectAddress.substring(1, close), Integer.parseInt(connectAddress.substring(close + 2)));
                }
            }
            return new HostPort(connectAddress, 22);
        }
    }
}
