package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/cli.md quotes what the tool prints: the commands of its {@code console} blocks run in the page's order in one
 * copy of examples/config-repo (the directory the page's commands run in, each block going on from the state the
 * previous one left), and the terminal's text must be each block's, byte for byte. stdout and stderr share one writer here, as they share a terminal, so their lines interleave as a reader
 * sees them.
 */
class DocumentedOutputTest {

    private static final Path PAGE = Path.of(System.getProperty("gitops.core.dir", "."), "..", "docs", "cli.md");
    private static final Path EXAMPLE = Path.of(System.getProperty("gitops.core.dir", "."), "..", "examples", "config-repo");
    private static final Pattern BLOCK = Pattern.compile("(?m)^( *)```console\n(.*?)^\\1```$", Pattern.DOTALL);
    private static final String EXIT_ECHO = "; echo \"exit $?\"";

    @TempDir
    Path copy;

    @Test
    void everyQuotedRunPrintsWhatThePageShows() throws IOException {
        List<String> blocks = consoleBlocks();
        copyExample();
        List<String> terminals = new ArrayList<>();
        for (String block : blocks) {
            StringBuilder terminal = new StringBuilder();
            for (String line : block.lines().toList()) {
                if (line.startsWith("$ ")) {
                    terminal.append(line).append('\n').append(run(line.substring(2)));
                }
            }
            terminals.add(terminal.toString());
        }

        assertThat(terminals).containsExactlyElementsOf(blocks);
    }

    /** The page's console blocks, in order, without the indentation of a block inside a list. */
    private static List<String> consoleBlocks() throws IOException {
        Matcher blocks = BLOCK.matcher(Files.readString(PAGE, StandardCharsets.UTF_8));
        List<String> found = new ArrayList<>();
        while (blocks.find()) {
            String indent = blocks.group(1);
            found.add(blocks.group(2).lines().map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line)
                    .reduce("", (text, line) -> text + line + "\n"));
        }
        assertThat(found).as("console blocks in " + PAGE).isNotEmpty();
        return found;
    }

    /** One command line: {@code gitops ARGS}, optionally followed by {@code ; echo "exit $?"}. */
    private String run(String commandLine) {
        boolean echoExit = commandLine.endsWith(EXIT_ECHO);
        List<String> words = words(echoExit ? commandLine.substring(0, commandLine.length() - EXIT_ECHO.length()) : commandLine);
        assertThat(words.get(0)).isEqualTo("gitops");
        List<String> args = new ArrayList<>(words.subList(1, words.size()));
        if (args.get(0).equals("set-image")) {
            args.add(1, copy.toString()); // the page's commands run in the copy: DIR is the current directory
        }
        StringWriter terminal = new StringWriter();
        PrintWriter shared = new PrintWriter(terminal);
        int exit = Main.run(new Environment(Map.of()), shared, shared, args.toArray(String[]::new));
        return terminal + (echoExit ? "exit " + exit + "\n" : "");
    }

    /** The words of a command line as a POSIX shell splits them, for the quoting the page uses ('...' and "..."). */
    private static List<String> words(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : commandLine.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private void copyExample() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLE)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(EXAMPLE.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
