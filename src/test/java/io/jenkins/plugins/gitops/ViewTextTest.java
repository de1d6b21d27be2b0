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
import javax.xml.parsers.SAXParserFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.helpers.DefaultHandler;

/** How Stapler and Jelly read the text of the plugin's views, checked on every view. */
class ViewTextTest {

    private static final Pattern LOCALIZED = Pattern.compile("\\$\\{%([^}]*)}");
    /** A space or tab at the start or the end of a text, next to a non-blank character: a separator. */
    private static final Pattern SEPARATING_SPACE = Pattern.compile("^[ \\t]+\\S|\\S[ \\t]+$");

    /**
     * Stapler reads {@code ${%Text(arg, ...)}} as the message {@code Text} with JEXL arguments: a parenthesis in a
     * view's text starts arguments. Unless the view's properties file defines {@code Text} as a message with
     * placeholders, the page shows the text cut at the parenthesis, or fails to render when what follows does not
     * parse as JEXL.
     */
    @Test
    void everyLocalizedTextWithArgumentsIsAMessageOfItsViewsProperties() throws IOException, URISyntaxException {
        Path views = viewsDirectory();
        List<String> cut = new ArrayList<>();
        for (Path view : views(views)) {
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

    /**
     * Jelly trims the text an element encloses when that text holds an expression and the element has no child
     * element ({@code <j:if ...> ${x}</j:if>} writes {@code x} alone): a space there, meant to separate the expression
     * from what the page shows before or after it, is lost and the words run together.
     */
    @Test
    void noTrimmedTextReliesOnASpaceAtItsEdges() throws Exception {
        Path views = viewsDirectory();
        List<String> runTogether = new ArrayList<>();
        SAXParserFactory parsers = SAXParserFactory.newInstance();
        parsers.setNamespaceAware(true);
        for (Path view : views(views)) {
            parsers.newSAXParser().parse(view.toFile(), new DefaultHandler() {
                private final StringBuilder text = new StringBuilder();
                private boolean childless;
                private Locator locator;

                @Override
                public void setDocumentLocator(Locator locator) {
                    this.locator = locator;
                }

                @Override
                public void startElement(String uri, String localName, String qName, Attributes attributes) {
                    text.setLength(0);
                    childless = true;
                }

                @Override
                public void characters(char[] ch, int start, int length) {
                    text.append(ch, start, length);
                }

                @Override
                public void endElement(String uri, String localName, String qName) {
                    String enclosed = text.toString();
                    if (childless && enclosed.contains("${") && SEPARATING_SPACE.matcher(enclosed).find()) {
                        runTogether.add(views.relativize(view) + ":" + locator.getLineNumber() + ": <" + qName + ">"
                                + enclosed + "</" + qName + ">");
                    }
                    text.setLength(0);
                    childless = false;
                }
            });
        }
        assertThat(runTogether).isEmpty();
    }

    /** The plugin's own output directory (classes and views), not the first directory of that package on the path. */
    private static Path viewsDirectory() throws URISyntaxException {
        return Path.of(GitopsSetImageStep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<Path> views(Path directory) throws IOException {
        List<Path> jelly;
        try (Stream<Path> files = Files.walk(directory)) {
            jelly = files.filter(f -> f.toString().endsWith(".jelly")).sorted().toList();
        }
        assertThat(jelly).isNotEmpty();
        return jelly;
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
