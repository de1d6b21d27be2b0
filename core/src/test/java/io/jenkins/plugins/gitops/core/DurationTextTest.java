package io.jenkins.plugins.gitops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({"300, PT5M", "300s, PT5M", "5m, PT5M", "1h, PT1H", "1500ms, PT1.5S", "PT5M, PT5M", " 2M , PT2M"})
    void readsSecondsUnitsAndIso8601(String text, String expected) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "5 m", "1d", "", "m", "99999999999999999999s"})
    void refusesTextThatIsNotADurationNamingIt(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a duration (e.g. 300s, 5m, 1h; a plain number is seconds)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "-5m", "PT0S"})
    void refusesZeroAndNegativeDurations(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).hasMessage("'" + text + "' is not a positive duration");
    }

    /** What a message says for a duration given as {@code text}: its unit, or the largest that states it exactly. */
    @ParameterizedTest
    @CsvSource({"5, 5 s", "5s, 5 s", "90s, 90 s", "500ms, 500 ms", "1500ms, 1500 ms", "2m, 2 min", "5m, 5 min",
            "1h, 1 h", "PT2M, 2 min", "PT0.25S, 250 ms", "120, 2 min", "60m, 1 h", "90m, 90 min"})
    void formatsADurationInTheUnitItWasGivenIn(String text, String expected) {
        assertThat(DurationText.format(DurationText.parse(text))).isEqualTo(expected);
    }
}
