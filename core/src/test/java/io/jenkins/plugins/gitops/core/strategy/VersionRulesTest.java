package io.jenkins.plugins.gitops.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Versions, constraints, tag filters and strategy names, without a registry. */
class VersionRulesTest {

    private static SemanticVersion v(String text) {
        return SemanticVersion.parse(text).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"1.2.3,1.2.3", "v1.2.3,1.2.3", "v1.4,1.4.0", "2,2.0.0", "1.0.0-rc.1+build.5,1.0.0-rc.1"})
    void readsTagsAsVersionsWithALeadingVAndMissingParts(String tag, String version) {
        assertThat(v(tag)).hasToString(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "1.2.3.4", "01.2.3", "1.2.3-", "main-abc123", "v"})
    void refusesTagsThatAreNotVersions(String tag) {
        assertThat(SemanticVersion.parse(tag)).isEmpty();
    }

    @Test
    void ordersBySemanticVersionPrecedence() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0");
        for (int i = 1; i < ordered.size(); i++) {
            assertThat(v(ordered.get(i - 1))).as(ordered.get(i - 1) + " < " + ordered.get(i)).isLessThan(v(ordered.get(i)));
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "^1.4|1.4.0|true", "^1.4|1.9.9|true", "^1.4|2.0.0|false", "^1.4|1.3.9|false",
        "^0.2.3|0.2.9|true", "^0.2.3|0.3.0|false", "^0.0.3|0.0.4|false",
        "~2.0|2.0.7|true", "~2.0|2.1.0|false", "~1|1.9.0|true",
        ">=1.2 <2|1.2.0|true", ">=1.2 <2|2.0.0|false", ">=1.2, <2|1.5.0|true",
        "1.2.x|1.2.9|true", "1.2.x|1.3.0|false", "*|7.0.0|true", "=1.2|1.2.5|true",
        ">1.2|1.2.9|false", ">1.2|1.3.0|true", "<=1.2|1.2.9|true", "!=1.2.3|1.2.3|false",
        "1.2 - 1.4|1.4.9|true", "1.2 - 1.4|1.5.0|false",
        "'^1 || ^3'|3.1.0|true", "'^1 || ^3'|2.1.0|false",
        "^1.4|1.5.0-rc.1|false", ">=1.5.0-rc.0|1.5.0-rc.1|true", ">=1.5.0-rc.0 <2|1.6.0-beta|true", "|1.0.0-rc.1|false"})
    void constraintsFollowImageUpdatersSyntax(String constraint, String version, boolean satisfied) {
        assertThat(VersionConstraint.parse(constraint).test(v(version))).isEqualTo(satisfied);
    }

    @ParameterizedTest
    @ValueSource(strings = {"^x.y", ">>1", "1.2 ||", "latest"})
    void aMalformedConstraintIsBadInputNamingThePart(String constraint) {
        assertThatThrownBy(() -> VersionConstraint.parse(constraint))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("constraint '" + constraint + "'");
    }

    @Test
    void anInvalidRegularExpressionIsBadInputNotMatchesNothing() {
        assertThatThrownBy(() -> TagFilter.of("regexp:^(1\\.", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowTags 'regexp:^(1\\.' is not a valid regular expression");
    }

    @Test
    void allowTagsIsARegexpOrAny() {
        assertThat(TagFilter.of("any", List.of()).allows("whatever")).isTrue();
        assertThat(TagFilter.of("regexp:^v\\d", List.of()).allows("v1.0")).isTrue();
        assertThat(TagFilter.of("regexp:\\d{8}", List.of()).allows("build-20240101")).isTrue(); // found anywhere, as Go's MatchString
        assertThatThrownBy(() -> TagFilter.of("^v1", List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither 'regexp:PATTERN' nor 'any'");
    }

    @Test
    void ignoreTagsAreShellGlobs() {
        TagFilter filter = TagFilter.of(null, List.of("*-rc*", "latest", "v[0-9].?", "[!0-9]*x"));

        assertThat(filter.ignoredBy("1.0.0-rc1")).isEqualTo("*-rc*");
        assertThat(filter.ignoredBy("latest")).isEqualTo("latest");
        assertThat(filter.ignoredBy("v1.2")).isEqualTo("v[0-9].?");
        assertThat(filter.ignoredBy("box")).isEqualTo("[!0-9]*x");
        assertThat(filter.ignoredBy("1.0.0")).isNull();
        assertThat(filter.ignoredBy("v1.23")).isNull();
        assertThatThrownBy(() -> TagFilter.of(null, List.of("v[0-9"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'[' without its ']'");
    }

    @Test
    void strategiesTakeImageUpdatersOlderNamesAsAliases() {
        assertThat(UpdateStrategy.parse("latest")).isEqualTo(UpdateStrategy.NEWEST_BUILD);
        assertThat(UpdateStrategy.parse("name")).isEqualTo(UpdateStrategy.ALPHABETICAL);
        assertThat(UpdateStrategy.parse("Newest-Build")).isEqualTo(UpdateStrategy.NEWEST_BUILD);
        assertThatThrownBy(() -> UpdateStrategy.parse("newest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use semver, newest-build, digest or alphabetical");
    }

    @Test
    void aConstraintWithAnotherStrategyIsRefused() {
        assertThatThrownBy(() -> ResolveRequest.of(io.jenkins.plugins.gitops.core.image.ImageReference.parse("app"),
                UpdateStrategy.NEWEST_BUILD).withConstraint(VersionConstraint.parse("^1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("semver strategy only");
    }
}
