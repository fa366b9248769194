package dev.capstan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatsTest {
    private static final List<Double> ONE_TO_FIFTY = IntStream.rangeClosed(1, 50).mapToObj(i -> (double) (51 - i)).toList();

    @Test
    void medianOfAnOddCountIsTheMiddleSample() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @ParameterizedTest
    @CsvSource({"50, 25", "90, 45", "99, 50", "100, 50", "1, 1", "0.5, 1"})
    void percentileIsTheNearestRank(double p, double expected) {
        assertThat(Stats.percentile(ONE_TO_FIFTY, p)).isEqualTo(expected);
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
