package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Stapler reads {@code ${%Text(arg, ...)}} as the message {@code Text} with JEXL arguments: a parenthesis in a view's
 * text starts arguments. Unless the view's properties file defines {@code Text} as a message with placeholders, the
 * page shows the text cut at the parenthesis, or fails to render when what follows does not parse as JEXL.
 */
class ViewTextTest {

    private static final Pattern LOCALIZED = Pattern.compile("\\$\\{%([^}]*)}");

    @Test
    void everyLocalizedTextWithArgumentsIsAMessageOfItsViewsProperties() throws IOException, URISyntaxException {
        // The plugin's own output directory (classes and views), not the first directory of that package on the path.
        Path views = Path.of(
                GitopsSetImageStep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> jelly;
        try (Stream<Path> files = Files.walk(views)) {
            jelly = files.filter(f -> f.toString().endsWith(".jelly")).sorted().toList();
        }
        assertThat(jelly).isNotEmpty();
        List<String> cut = new ArrayList<>();
        for (Path view : jelly) {
            Properties messages = messagesOf(view);
            Matcher m = LOCALIZED.matcher(Files.readString(view, StandardCharsets.UTF_8));
            while (m.find()) {
                String text = m.group(1);
                int args = text.indexOf('(');
                if (args >= 0 && !messages.containsKey(text.substring(0, args))) {
                    cut.add(views.relativize(view) + ": ${%" + text + "}");
                }
            }
        }
        assertThat(cut).isEmpty();
    }

    private static Properties messagesOf(Path view) throws IOException {
        Properties messages = new Properties();
        Path file = view.resolveSibling(view.getFileName().toString().replaceFirst("\\.jelly$", ".properties"));
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                messages.load(in);
            }
        }
        return messages;
    }
}
