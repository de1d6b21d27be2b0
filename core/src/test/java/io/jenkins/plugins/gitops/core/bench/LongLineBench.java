package io.jenkins.plugins.gitops.core.bench;

import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditor;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * One long line in a Helm values file that references the image: the time to plan a set-image on it
 * ({@link ManifestEditor#plan}: read, screen, parse, edit, re-parse to verify), against the time SnakeYAML's
 * own reader takes only to compose the same text once (what the editor's parse cost before it read text
 * linearly). Sizes in MiB via {@code --sizes 1,6}; {@code --rounds N} (median reported); {@code --skip-stock}
 * leaves the slow stock reader out.
 */
public final class LongLineBench {

    private LongLineBench() {}

    public static void main(String[] args) throws IOException {
        int rounds = BenchHarness.intArg(args, "--rounds", 3);
        List<Integer> sizes = Arrays.stream(stringArg(args, "--sizes", "1,6").split(",")).map(Integer::parseInt).toList();
        boolean stock = !List.of(args).contains("--skip-stock");
        System.out.printf(Locale.ROOT, "%-8s %-14s %14s %14s%n", "MiB", "line", "stock compose", "editor plan");
        for (int mib : sizes) {
            for (String shape : List.of("plain", "double-quoted", "comment")) {
                String text = values(shape, mib << 20);
                double before = stock ? median(rounds, () -> composeWithStockReader(text)) : Double.NaN;
                double after = median(rounds, () -> plan(text));
                System.out.printf(Locale.ROOT, "%-8d %-14s %11.0f ms %11.0f ms%n", mib, shape, before, after);
            }
        }
    }

    private static String values(String shape, int length) {
        String filler = "x".repeat(length);
        String line = switch (shape) {
            case "plain" -> "blob: " + filler;
            case "double-quoted" -> "blob: \"" + filler + "\"";
            default -> "# " + filler;
        };
        return "image:\n  repository: acme/web\n  tag: \"1.0\"\n" + line + "\n";
    }

    private static void composeWithStockReader(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options);
        while (composer.checkNode()) {
            composer.getNode();
        }
    }

    private static void plan(String text) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("long-line-bench");
            Files.writeString(dir.resolve("values.yaml"), text, StandardCharsets.UTF_8);
            new ManifestEditor(dir).plan(EditRequest.of(ImageUpdate.tag("acme/web", "2.0")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    private static double median(int rounds, Runnable run) {
        double[] millis = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            run.run();
            millis[i] = BenchHarness.ms(System.nanoTime() - start);
        }
        Arrays.sort(millis);
        return millis[rounds / 2];
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
