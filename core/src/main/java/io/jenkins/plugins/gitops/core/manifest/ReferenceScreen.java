package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The byte-level prefilter run before any parsing: a file can only reference an image if it contains the
 * image's last path component as a whole name part (so {@code targets} does not count for
 * {@code acme/target}). In a large repository nearly every file fails it, so it is built for that: it reads each
 * file as the walk meets it, while its directory is open, into one reused buffer, and only the few that pass
 * are copied out and sorted.
 */
final class ReferenceScreen implements FileScope.Visitor {

    /**
     * A file that passed, or could not be read (kept in path order with the others, so that the error of the
     * first such file is raised, as a sequential walk would).
     */
    record Screened(FileScope.Candidate candidate, byte[] bytes, ManifestEditException failure) {}

    private final byte[][] needles;
    private final int[][] skips;
    private final long maxFileBytes;
    private final List<Screened> passed = new ArrayList<>();
    /**
     * Where each file is read: a direct buffer, into which the kernel copies without the JDK's intermediate one; its
     * bytes are then copied into {@link #bytes}, reused from file to file, to be searched.
     */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private byte[] bytes = new byte[64 * 1024];

    ReferenceScreen(List<String> shortNames, long maxFileBytes) {
        this.needles = shortNames.stream().map(name -> name.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        this.skips = Arrays.stream(needles).map(ReferenceScreen::skipTable).toArray(int[][]::new);
        this.maxFileBytes = maxFileBytes;
    }

    /** The names to screen for: each update's image's last path component, and its new name's. */
    static List<String> shortNames(List<ImageUpdate> updates) {
        return updates.stream()
                .flatMap(u -> u.newName() == null ? Stream.of(u.reference())
                        : Stream.of(u.reference(), ImageReference.parse(u.newName())))
                .map(ImageReference::shortName)
                .toList();
    }

    /**
     * Whether content passes this screen, as a file's content does in {@link #visit}: it contains one of the names, or
     * is UTF-16 or UTF-32 text, which cannot be screened.
     */
    boolean passes(byte[] content) {
        return containsAny(content, content.length) || SourceFile.otherUnicodeEncoding(content, content.length) != null;
    }

    /** The candidates met so far that contain one of the names (with their bytes) or failed to read, sorted by path. */
    List<Screened> passed() {
        passed.sort(Comparator.comparing(screened -> screened.candidate().relative()));
        return passed;
    }

    @Override
    public void visit(FileScope.Candidate candidate, FileScope.Opening opening) {
        try {
            checkSize(candidate, maxFileBytes);
            int length = read(candidate, opening);
            // UTF-16 or UTF-32 text cannot be screened for UTF-8 bytes: it passes, and decoding refuses it by name.
            if (containsAny(bytes, length) || SourceFile.otherUnicodeEncoding(bytes, length) != null) {
                passed.add(new Screened(candidate, Arrays.copyOf(bytes, length), null));
            }
        } catch (IOException e) {
            passed.add(new Screened(candidate, null, unreadable(candidate, e)));
        } catch (ManifestEditException e) {
            passed.add(new Screened(candidate, null, e));
        }
    }

    /**
     * Reads the whole file into {@link #bytes}, returning its length. The read asks for one byte more than the size the
     * walk saw: when it stops short at exactly that size, the file ended there and no further read is made to see the
     * end of file (one system call fewer per file); a file that grew or shrank since is read to its end.
     */
    private int read(FileScope.Candidate candidate, FileScope.Opening opening) throws IOException {
        long expected = candidate.size();
        if (buffer.capacity() <= expected) {
            buffer = ByteBuffer.allocateDirect((int) expected + 1);
        }
        buffer.clear();
        try (SeekableByteChannel channel = opening.open()) {
            while (channel.read(buffer) > 0 && buffer.position() != expected) {
                if (!buffer.hasRemaining()) {
                    buffer = ByteBuffer.allocateDirect(buffer.capacity() * 2).put(buffer.flip());
                }
            }
        }
        int length = buffer.position();
        if (bytes.length < length) {
            bytes = new byte[buffer.capacity()];
        }
        buffer.get(0, bytes, 0, length);
        return length;
    }

    /** The whole file, within the size limit. */
    static byte[] read(FileScope.Candidate candidate, long maxFileBytes) {
        checkSize(candidate, maxFileBytes);
        try {
            return Files.readAllBytes(candidate.path());
        } catch (IOException e) {
            throw unreadable(candidate, e);
        }
    }

    private static void checkSize(FileScope.Candidate candidate, long maxFileBytes) {
        if (candidate.size() > maxFileBytes) {
            throw new ManifestEditException(Problem.FILE_TOO_LARGE, candidate.relative(), 0,
                    "the file has " + candidate.size() + " bytes; the limit is " + maxFileBytes
                            + " (narrow the paths to leave it out)");
        }
    }

    private static ManifestEditException unreadable(FileScope.Candidate candidate, IOException e) {
        return new ManifestEditException(Problem.IO_ERROR, candidate.relative(), 0, "cannot read: " + e.getMessage(), e);
    }

    private boolean containsAny(byte[] haystack, int length) {
        for (int n = 0; n < needles.length; n++) {
            if (containsNamePart(haystack, length, needles[n], skips[n])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Boyer-Moore-Horspool: compares from the window's last byte and shifts by how far that byte's last
     * occurrence lies from the needle's end, so most windows cost one comparison and move several bytes.
     */
    private static boolean containsNamePart(byte[] haystack, int length, byte[] needle, int[] skip) {
        if (needle.length == 0) {
            return true;
        }
        int end = needle.length - 1;
        for (int i = 0; i + end < length; i += skip[haystack[i + end] & 0xff]) {
            int j = end;
            while (j >= 0 && haystack[i + j] == needle[j]) {
                j--;
            }
            if (j < 0) {
                boolean startsName = i == 0 || !isNameByte(haystack[i - 1]);
                int after = i + needle.length;
                boolean endsName = after == length || (!isNameByte(haystack[after]) && haystack[after] != '/');
                if (startsName && endsName) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Horspool's shift table: for each byte value, how far a window ending in it may move. */
    private static int[] skipTable(byte[] needle) {
        int[] skip = new int[256];
        Arrays.fill(skip, Math.max(needle.length, 1));
        for (int i = 0; i < needle.length - 1; i++) {
            skip[needle[i] & 0xff] = needle.length - 1 - i;
        }
        return skip;
    }

    /** Bytes that may continue a repository path component (lowercase letters, digits, separators). */
    private static boolean isNameByte(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '.' || b == '_' || b == '-';
    }
}
