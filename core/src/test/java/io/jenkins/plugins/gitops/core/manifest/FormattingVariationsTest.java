package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Property-style: the same documents written in every combination of quoting, trailing comments,
 * indentation, line endings and block vs flow style. Each edit must read back as the original with only
 * the target value replaced, and differ from the original only on the reported lines.
 */
class FormattingVariationsTest {

    private static final List<String> QUOTES = List.of("", "'", "\"");
    private static final List<String> NEW_TAGS = List.of("1.10", "2.0.1", "123", "v3", "true", "1e3");

    @TempDir
    Path dir;

    private record Variant(String quote, boolean comment, int indent, String eol, boolean flow, String newTag) {
        String q(String value) {
            return quote + value + quote;
        }

        String c() {
            return comment ? "   # keep me" : "";
        }

        String i(int depth) {
            return " ".repeat(indent * depth);
        }

        @Override
        public String toString() {
            return "quote=[" + quote + "] comment=" + comment + " indent=" + indent + " eol=" + (eol.length() == 2 ? "CRLF" : "LF")
                    + " flow=" + flow + " tag=" + newTag;
        }
    }

    private static List<Variant> variants() {
        List<Variant> variants = new ArrayList<>();
        int n = 0;
        for (String quote : QUOTES) {
            for (boolean comment : List.of(false, true)) {
                for (int indent : List.of(2, 4)) {
                    for (String eol : List.of("\n", "\r\n")) {
                        for (boolean flow : List.of(false, true)) {
                            variants.add(new Variant(quote, comment, indent, eol, flow, NEW_TAGS.get(n++ % NEW_TAGS.size())));
                        }
                    }
                }
            }
        }
        return variants;
    }

    private static String workload(Variant v) {
        String image = v.q("registry.example.com/team/app:1.9");
        String side = v.q("registry.example.com/team/side:1.9");
        String containers = v.flow()
                ? v.i(3) + "containers: [{name: app, image: " + image + "}, {name: side, image: " + side + "}]" + v.c() + v.eol()
                : v.i(3) + "containers:" + v.eol()
                        + v.i(3) + "- name: app" + v.eol()
                        + v.i(3) + "  image: " + image + v.c() + v.eol()
                        + v.i(3) + "- name: side" + v.eol()
                        + v.i(3) + "  image: " + side + v.eol();
        return "apiVersion: apps/v1" + v.eol() + "kind: Deployment" + v.eol() + "metadata:" + v.eol()
                + v.i(1) + "name: app" + v.c() + v.eol() + "spec:" + v.eol() + v.i(1) + "template:" + v.eol()
                + v.i(2) + "spec:" + v.eol() + containers;
    }

    private static String values(Variant v) {
        String block = v.flow()
                ? v.i(1) + "image: {repository: " + v.q("registry.example.com/team/app") + ", tag: " + v.q("1.9") + "}" + v.c() + v.eol()
                : v.i(1) + "image:" + v.c() + v.eol()
                        + v.i(2) + "repository: " + v.q("registry.example.com/team/app") + v.eol()
                        + v.i(2) + "tag: " + v.q("1.9") + v.c() + v.eol();
        return "# values" + v.eol() + "app:" + v.eol() + block + "side:" + v.eol()
                + v.i(1) + "image: " + v.q("registry.example.com/team/side:1.9") + v.eol();
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyTheTargetValueChangesInEveryFormattingVariant() throws Exception {
        for (Variant v : variants()) {
            Path root = Files.createTempDirectory(dir, "v");
            ConfigRepo repo = new ConfigRepo(root);
            String deployment = workload(v);
            String values = values(v);
            repo.write("deploy.yaml", deployment).write("values.yaml", values);

            EditReport report = repo.apply(ImageUpdate.tag("registry.example.com/team/app", v.newTag()));

            assertThat(report.changes()).as(v.toString()).hasSize(2);
            Map<String, Object> expectedDeployment = new Yaml().load(deployment);
            Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    expectedDeployment.get("spec")).get("template")).get("spec");
            ((List<Map<String, Object>>) pod.get("containers")).get(0).put("image", "registry.example.com/team/app:" + v.newTag());
            Object deployed = new Yaml().load(repo.read("deploy.yaml"));
            assertThat(deployed).as(v.toString()).isEqualTo(expectedDeployment);

            Map<String, Object> expectedValues = new Yaml().load(values);
            ((Map<String, Object>) ((Map<String, Object>) expectedValues.get("app")).get("image")).put("tag", v.newTag());
            Object valued = new Yaml().load(repo.read("values.yaml"));
            assertThat(valued).as(v.toString()).isEqualTo(expectedValues);

            for (String file : List.of("deploy.yaml", "values.yaml")) {
                TargetLines.assertOnlyTargetsChanged(dir, file + " " + v, file.equals("deploy.yaml") ? deployment : values,
                        repo.read(file), report.changes().stream().filter(c -> c.file().equals(file)).toList());
            }
        }
    }
}
