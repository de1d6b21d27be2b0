package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;

/** The linear reader gives SnakeYAML's scanner exactly the stream the stock reader gives it: same events, marks and errors. */
class TextStreamReaderTest {

    static Stream<Arguments> texts() throws IOException {
        List<Arguments> texts = new ArrayList<>(List.of(
                Arguments.of("block mapping", "a: 1\nb:\n  - x\n  - 'y'\n  - \"z\"\n"),
                Arguments.of("CRLF and a lone CR", "a: 1\r\nb: 2\rc: 3\r\n"),
                Arguments.of("NEL and line separators", "a: 1\u0085b: 2\u2028c: 3\u2029d: 4\n"),
                Arguments.of("byte order mark", "\uFEFFa: 1\n"),
                Arguments.of("astral characters", "emoji: \"\uD83D\uDE80 launch\"\nafter: \uD83D\uDE00x\n"),
                Arguments.of("comments and documents", "# head\n---\na: 1 # tail\n...\n---\n- [1, {b: c}]\n"),
                Arguments.of("block scalars", "a: |\n  one\n   two\nb: >-\n  folded\n  text\n"),
                Arguments.of("anchors, aliases, tags", "a: &x !!str 1\nb: *x\nc: !custom {k: v}\n"),
                Arguments.of("multi-line scalars", "a: one\n  two\nb: \"three\n  four\"\n"),
                Arguments.of("long line", "image: nginx:1\nbig: " + "x".repeat(5000) + "\nquoted: '" + "y ".repeat(3000) + "'\n"),
                Arguments.of("malformed: unclosed flow", "image: nginx:1.25\nlist: [1, 2\nother: x\n"),
                Arguments.of("malformed: bad indentation", "a:\n  b: 1\n c: 2\n"),
                Arguments.of("malformed: unclosed quote at the end", "a: \"never closed"),
                Arguments.of("empty", "")));
        Path examples = Path.of("../examples/config-repo");
        if (Files.isDirectory(examples)) {
            try (Stream<Path> files = Files.walk(examples)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    texts.add(Arguments.of(examples.relativize(file).toString(), Files.readString(file)));
                }
            }
        }
        return texts.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void givesTheScannerTheSameStreamAsSnakeYamlsReader(String name, String text) {
        List<String> stock = events(new StreamReader(new StringReader(text)));
        assertThat(events(new TextStreamReader(text))).isEqualTo(stock);
    }

    @Test
    void refusesAControlCharacterAsTheStockReaderDoesBeforeAnyContent() {
        String text = "a: 1\nb: bell\u0007\n";

        assertThat(events(new StreamReader(new StringReader(text))))
                .containsExactly("<org.yaml.snakeyaml.events.StreamStartEvent()> 0@0:0 0@0:0", "error special characters are not allowed");
        assertThatThrownBy(() -> new TextStreamReader(text)).isInstanceOfSatisfying(ReaderException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("special characters are not allowed");
            assertThat(e.getCodePoint()).isEqualTo(7);
            assertThat(e.getPosition()).isEqualTo(text.indexOf('\u0007'));
        });
    }

    private static List<String> events(StreamReader reader) {
        List<String> events = new ArrayList<>();
        try {
            ParserImpl parser = new ParserImpl(reader, new LoaderOptions());
            while (parser.peekEvent() != null) {
                Event event = parser.getEvent();
                events.add(event + " " + mark(event.getStartMark()) + " " + mark(event.getEndMark()));
            }
        } catch (YAMLException e) {
            events.add("error " + e.getMessage());
        }
        return events;
    }

    private static String mark(Mark mark) {
        return mark == null ? "-" : mark.getIndex() + "@" + mark.getLine() + ":" + mark.getColumn();
    }
}
