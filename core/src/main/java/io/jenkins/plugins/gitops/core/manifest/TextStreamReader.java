package io.jenkins.plugins.gitops.core.manifest;

import java.io.StringReader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's {@link StreamReader} contract over a text already in memory, in linear time. The stock reader
 * reads 1,024 characters at a time and copies its whole unread window on every read, so the scanner's
 * look-ahead over one long token (a plain or quoted scalar, a comment) costs time quadratic in its length:
 * seconds for a one-megabyte line. Here every code point is decoded once, up front; peeking and advancing are
 * array accesses. Positions, line and column counting, the printable-character check and the marks follow the
 * stock reader, so the scanner sees exactly the same stream.
 */
final class TextStreamReader extends StreamReader {

    /** The name the stock reader gives a stream read from a {@link java.io.Reader}; it appears in marks. */
    private static final String NAME = "'reader'";

    private final int[] codePoints;
    private int pointer;
    private int documentIndex;
    private int line;
    private int column;

    /** @throws ReaderException at the first character YAML does not allow (a control character) */
    TextStreamReader(String text) {
        super(new StringReader(""));
        this.codePoints = text.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            if (!isPrintable(codePoints[i])) {
                throw new ReaderException(NAME, i, codePoints[i], "special characters are not allowed");
            }
        }
    }

    @Override
    public Mark getMark() {
        return new Mark(NAME, pointer, line, column, codePoints, pointer);
    }

    @Override
    public void forward() {
        forward(1);
    }

    @Override
    public void forward(int length) {
        for (int i = 0; i < length && pointer < codePoints.length; i++) {
            int c = codePoints[pointer++];
            documentIndex++;
            // A lone \r breaks a line; in \r\n the \n does.
            if (Constant.LINEBR.has(c) || (c == '\r' && pointer < codePoints.length && codePoints[pointer] != '\n')) {
                line++;
                column = 0;
            } else if (c != 0xFEFF) {
                column++;
            }
        }
    }

    @Override
    public int peek() {
        return peek(0);
    }

    @Override
    public int peek(int offset) {
        int at = pointer + offset;
        return at < codePoints.length ? codePoints[at] : 0;
    }

    @Override
    public String prefix(int length) {
        return new String(codePoints, pointer, Math.max(0, Math.min(length, codePoints.length - pointer)));
    }

    /** Takes {@code length} code points that hold no line break (the scanner only asks so). */
    @Override
    public String prefixForward(int length) {
        String prefix = prefix(length);
        pointer += length;
        documentIndex += length;
        column += length;
        return prefix;
    }

    @Override
    public int getColumn() {
        return column;
    }

    @Override
    public int getDocumentIndex() {
        return documentIndex;
    }

    @Override
    public void resetDocumentIndex() {
        documentIndex = 0;
    }

    @Override
    public int getIndex() {
        return pointer;
    }

    @Override
    public int getLine() {
        return line;
    }
}
