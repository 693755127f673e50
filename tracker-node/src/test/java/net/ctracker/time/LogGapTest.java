package net.ctracker.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogGapTest {

    @Test
    void oneLinePerGapNamingWhatWasSkipped() {
        LogGap gap = new LogGap(10_000);
        assertThat(gap.admit(0)).as("the first is logged").isZero();
        assertThat(gap.admit(1)).isEqualTo(-1);
        assertThat(gap.admit(9_999)).isEqualTo(-1);
        assertThat(gap.admit(10_000)).as("two skipped since").isEqualTo(2);
        assertThat(LogGap.since(2)).isEqualTo(" (and 2 more since the last report)");
        assertThat(LogGap.since(0)).isEmpty();
        assertThat(gap.admit(20_000)).isZero();
    }
}
