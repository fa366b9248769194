package dev.capstan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading wrk 4.1's output. */
class WrkTest {
    private static final String OUTPUT = """
            Running 10s test @ http://127.77.254.1:40000/
              1 threads and 16 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   412.05us  301.11us  12.01ms   95.12%
                Req/Sec    38.91k     2.01k   42.10k    71.00%
              Latency Distribution
                 50%  368.00us
                 75%  421.00us
                 90%  511.00us
                 99%    1.52ms
              387263 requests in 10.00s, 425.44MB read
            Requests/sec:  38723.61
            Transfer/sec:     42.54MB
            """;

    @Test
    void readsRequestsPerSecondAndPercentilesInMicroseconds() throws Exception {
        Wrk.Result r = Wrk.parse(OUTPUT);
        assertThat(r.requestsPerSecond()).isEqualTo(38723.61);
        assertThat(r.p50us()).isEqualTo(368.0);
        assertThat(r.p99us()).isEqualTo(1520.0);
    }

    @Test
    void refusesOutputWithErrorsOrWithoutNumbers() {
        assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .isInstanceOf(BenchmarkFailure.class).hasMessageContaining("cannot read wrk's output");
        assertThatThrownBy(() -> Wrk.parse(OUTPUT.replace("Requests/sec", "  Non-2xx or 3xx responses: 5\nRequests/sec")))
                .isInstanceOf(BenchmarkFailure.class);
    }
}
