package io.jenkins.plugins.gitops.core.manifest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.error.Mark;

/**
 * One file's text as the editor sees it: decoded strictly as UTF-8, a byte order mark set aside so that
 * it is written back exactly, and offsets translated from the parser's code-point marks to string indices.
 */
final class SourceFile {

    private static final String BOM = "\uFEFF";

    private final String file;
    private final String text;
    private final boolean bom;
    private final boolean surrogates;

    private SourceFile(String file, String text, boolean bom) {
        this.file = file;
        this.text = text;
        this.bom = bom;
        this.surrogates = text.length() != text.codePointCount(0, text.length());
    }

    /**
     * Decodes {@code bytes}; NUL bytes or invalid UTF-8 mean a binary file.
     *
     * @throws ManifestEditException BINARY_FILE
     */
    static SourceFile decode(String file, byte[] bytes) {
        String encoding = otherUnicodeEncoding(bytes, bytes.length);
        if (encoding != null) {
            throw new ManifestEditException(ManifestEditException.Problem.BINARY_FILE, file, 0, encoding
                    + " text (byte order mark); only UTF-8 YAML or JSON text can be edited: convert it, e.g. iconv -f "
                    + encoding + " -t UTF-8");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new ManifestEditException(ManifestEditException.Problem.BINARY_FILE, file, 0,
                        "binary file (NUL byte at offset " + i + "); only UTF-8 YAML or JSON text can be edited");
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ManifestEditException(ManifestEditException.Problem.BINARY_FILE, file, 0,
                    "not UTF-8 text; only UTF-8 YAML or JSON text can be edited", e);
        }
        boolean bom = decoded.startsWith(BOM);
        return new SourceFile(file, bom ? decoded.substring(1) : decoded, bom);
    }

    /**
     * The encoding whose byte order mark starts {@code bytes} (its first {@code length}), when it is UTF-16 or UTF-32;
     * null otherwise. Such text is not UTF-8, and its NUL bytes would make it look binary.
     */
    static String otherUnicodeEncoding(byte[] bytes, int length) {
        if (length >= 4 && bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE && bytes[2] == 0 && bytes[3] == 0) {
            return "UTF-32LE";
        }
        if (length >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == (byte) 0xFE && bytes[3] == (byte) 0xFF) {
            return "UTF-32BE";
        }
        if (length >= 2 && bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE) {
            return "UTF-16LE";
        }
        if (length >= 2 && bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF) {
            return "UTF-16BE";
        }
        return null;
    }

    /** A file that does not exist yet. */
    static SourceFile empty(String file) {
        return new SourceFile(file, "", false);
    }

    String file() {
        return file;
    }

    /** The text without a byte order mark. */
    String text() {
        return text;
    }

    /** The text as it goes to disk: {@code newText} with the original byte order mark, if any. */
    byte[] encode(String newText) {
        return ((bom ? BOM : "") + newText).getBytes(StandardCharsets.UTF_8);
    }

    /** The whole original content as text, byte order mark included. */
    String original() {
        return (bom ? BOM : "") + text;
    }

    /** The line break the file uses ({@code \r\n} when its first line ends so), for inserted lines. */
    String lineSeparator() {
        int newline = text.indexOf('\n');
        return newline > 0 && text.charAt(newline - 1) == '\r' ? "\r\n" : "\n";
    }

    /** The string index of a parser mark (marks count code points). */
    int index(Mark mark) {
        return surrogates ? text.offsetByCodePoints(0, mark.getIndex()) : mark.getIndex();
    }

    /** 1-based line of a string index. */
    int lineOf(int index) {
        int line = 1;
        for (int i = 0; i < index && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The index just after the line break that ends the line holding {@code index} (or the text's end). */
    int endOfLine(int index) {
        int newline = text.indexOf('\n', index);
        return newline < 0 ? text.length() : newline + 1;
    }

    /** The index of the first character of the line holding {@code index}. */
    int startOfLine(int index) {
        return text.lastIndexOf('\n', index - 1) + 1;
    }

    /** The 0-based column of {@code index} within its line, in characters. */
    int column(int index) {
        return index - startOfLine(index);
    }
}
