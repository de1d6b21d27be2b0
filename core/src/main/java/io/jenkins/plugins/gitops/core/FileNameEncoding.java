package io.jenkins.plugins.gitops.core;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;

/**
 * The JVM's encoding of file names ({@code sun.jnu.encoding}), fixed by the locale the JVM started in. In the C or
 * POSIX locale (many CI containers and Jenkins agents) it is ASCII: {@code java.io} then writes {@code ?} in place of
 * every other character, and {@code java.nio} refuses the name. The one test and the one message for every place that
 * meets a repository's file names: the walk of a directory and the checkout of a tree.
 */
public final class FileNameEncoding {

    private FileNameEncoding() {}

    /** The encoding's name as the JVM reports it, e.g. {@code ANSI_X3.4-1968} in the C locale. */
    public static String name() {
        return System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
    }

    /** Whether every name is representable, so that no name needs a test: file names are UTF-8. */
    public static boolean representsEveryName() {
        try {
            return Charset.forName(name()).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether this JVM can name the file {@code path} ({@code /} separated) on its default file system: ASCII always;
     * any other name when the file system takes it unchanged (a UTF-8 locale, or Windows, whose names are UTF-16).
     */
    public static boolean canRepresent(String path) {
        if (path.chars().allMatch(c -> c < 0x80)) {
            return true;
        }
        try {
            FileSystems.getDefault().getPath(path);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Why a name cannot be used and what to do about it, for a message that names the file first. */
    public static String refusal() {
        return "the file name cannot be represented in this JVM's file name encoding, " + name()
                + ": start Java in a UTF-8 locale (LC_ALL=C.UTF-8; for a Jenkins agent, the agent's JVM), as the gitops"
                + " launcher does";
    }

    /** {@code path} as {@link #quoted(byte[])} shows its UTF-8 form. */
    public static String quoted(String path) {
        return quoted(path.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A file name's bytes as git shows a path with {@code core.quotePath} (its default): as they are when all are printable
     * ASCII, else in double quotes with each other byte as a backslash and three octal digits. Legible in any locale, and
     * the form {@code git ls-files} prints.
     */
    public static String quoted(byte[] name) {
        boolean plain = true;
        for (byte b : name) {
            plain &= b >= 0x20 && b < 0x7f && b != '"' && b != '\\';
        }
        if (plain) {
            return new String(name, StandardCharsets.US_ASCII);
        }
        StringBuilder text = new StringBuilder("\"");
        for (byte b : name) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                text.append('\\').append((char) c);
            } else if (c < 0x20 || c >= 0x7f) {
                text.append('\\').append(c >> 6).append((c >> 3) & 7).append(c & 7);
            } else {
                text.append((char) c);
            }
        }
        return text.append('"').toString();
    }
}
