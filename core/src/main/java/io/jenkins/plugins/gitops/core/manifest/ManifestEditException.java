package io.jenkins.plugins.gitops.core.manifest;

/**
 * An edit refused, with nothing written. The message starts with {@code file:line:} (relative path;
 * line omitted when it does not apply) and says what is wrong and what to do.
 */
public final class ManifestEditException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an edit was refused. */
    public enum Problem {
        /** The file is not valid YAML (or JSON). */
        MALFORMED_YAML,
        /** The file trips a parser limit: too many aliases (a "YAML bomb"), nesting too deep, too many code points. */
        PARSER_LIMIT,
        /** The file is larger than the size limit. */
        FILE_TOO_LARGE,
        /** The file holds NUL bytes or is not UTF-8 text. */
        BINARY_FILE,
        /** A value to edit is an alias, or anchored and aliased elsewhere: editing it would change other places. */
        ALIAS_TARGET,
        /** A value to edit contains a template expression ({@code {{ ... }}}). */
        TEMPLATE_EXPRESSION,
        /** A path (given, or reached through a symlink) lies outside the repository root. */
        PATH_OUTSIDE_ROOT,
        /** A given path does not exist. */
        PATH_NOT_FOUND,
        /** A value has a shape that cannot be edited in place (a block scalar, a non-scalar at a key path, a flow-style removal). */
        UNSUPPORTED_SHAPE,
        /** After splicing, the re-parsed document differed from the original somewhere else: a bug, nothing written. */
        VERIFICATION_FAILED,
        /** Reading or writing failed. */
        IO_ERROR,
        /**
         * A change set interrupted by a crash cannot be completed nor undone: a file it writes changed since. Nothing
         * was changed; the message names the file and the record to delete once the files are checked.
         */
        INTERRUPTED_CHANGE_SET
    }

    private final Problem problem;
    private final String file;
    private final int line;

    /**
     * @param file relative path, or {@code null}
     * @param line 1-based line, or 0 when none applies
     */
    public ManifestEditException(Problem problem, String file, int line, String message, Throwable cause) {
        super(location(file, line) + message, cause);
        this.problem = problem;
        this.file = file;
        this.line = line;
    }

    public ManifestEditException(Problem problem, String file, int line, String message) {
        this(problem, file, line, message, null);
    }

    private static String location(String file, int line) {
        if (file == null) {
            return "";
        }
        return line > 0 ? file + ":" + line + ": " : file + ": ";
    }

    public Problem problem() {
        return problem;
    }

    /** The relative path of the file at fault, or {@code null}. */
    public String file() {
        return file;
    }

    /** The 1-based line at fault, or 0. */
    public int line() {
        return line;
    }
}
