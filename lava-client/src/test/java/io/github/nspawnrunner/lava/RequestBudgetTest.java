package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBudgetTest {
    private final VirtualTicker ticker = new VirtualTicker();
    private final long start = ticker.nanos();

    /** Milliseconds after the start at which each of N more requests goes out. */
    private List<Long> send(RequestBudget budget, int n) throws InterruptedException {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            budget.acquire();
            millis.add(ticker.elapsedSince(start).toMillis());
        }
        return millis;
    }

    @Test
    void aFewGoAtOnceThenOnePerSpacing() throws InterruptedException {
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L),
                send(new RequestBudget(ticker, 60), 11));
    }

    @Test
    void theBurstComesBackAfterAQuietSpell() throws InterruptedException {
        RequestBudget budget = new RequestBudget(ticker, 60);
        send(budget, 8);
        ticker.sleep(Duration.ofSeconds(30));
        List<Long> after = send(budget, 6);
        assertEquals(List.of(33000L, 33000L, 33000L, 33000L, 33000L, 34000L), after);
    }

    @Test
    void noMinuteEverHoldsMoreThanTheCap() throws InterruptedException {
        for (int cap : new int[] {1, 3, 5, 10, 60}) {
            RequestBudget budget = new RequestBudget(ticker, cap);
            List<Long> times = send(budget, 4 * cap + 7);
            for (int i = 0; i + cap < times.size(); i++) {
                assertTrue(times.get(i + cap) - times.get(i) >= 60_000,
                        "cap " + cap + ": requests " + i + " and " + (i + cap) + " within a minute: " + times);
            }
            ticker.sleep(Duration.ofMinutes(2));
        }
    }

    @Test
    void theLongRunRateIsTheCap() throws InterruptedException {
        RequestBudget budget = new RequestBudget(ticker, 60);
        List<Long> times = send(budget, 601);
        // the burst is paid back within the minute: 60 a minute, never more
        assertEquals(600_000L, times.get(600));
    }
}
