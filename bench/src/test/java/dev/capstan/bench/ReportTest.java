package dev.capstan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void stealIsTheHostsShareOfTheCpuTicksBetweenTwoReadings() {
        long[] before = {100, 0, 10, 500, 0, 0, 0, 20};
        long[] after = {400, 0, 60, 550, 0, 0, 0, 120}; // 300 + 50 + 50 + 100 = 500 ticks, 100 stolen
        assertThat(Report.steal(before, after)).isEqualTo(", steal 20%");
        assertThat(Report.steal(before, before)).isEmpty();
        assertThat(Report.steal(null, after)).isEmpty();
        assertThat(Report.steal(new long[] {1, 2, 3, 4}, new long[] {5, 6, 7, 8})).isEmpty(); // no steal column
    }

    @Test
    void readsThisMachinesCpuLineWhereThereIsOne() {
        long[] ticks = Report.cpuTicks();
        if (ticks != null) {
            assertThat(ticks.length).isBetween(4, 8);
            assertThat(ticks[0]).isPositive();
        }
    }
}
