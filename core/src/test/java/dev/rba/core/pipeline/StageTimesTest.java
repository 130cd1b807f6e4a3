package dev.rba.core.pipeline;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageTimesTest {
    @Test
    void stagesKeepTheirFirstOrderAndAddUp() throws IOException {
        StageTimes t = new StageTimes();
        t.add("read", 1_500_000_000L);
        assertEquals("x", t.time("fit", () -> "x"));
        t.addSeconds("calibration ORT run", 2.25);
        t.add("read", 500_000_000L);
        StageTimes inner = new StageTimes();
        inner.add("probe", 250_000_000L);
        t.addAll("data open: ", inner);
        Map<String, Double> s = t.seconds();
        assertEquals(List.of("read", "fit", "calibration ORT run", "data open: probe"), List.copyOf(s.keySet()));
        assertEquals(2.0, s.get("read"));
        assertEquals(2.25, s.get("calibration ORT run"));
        assertEquals(0.25, s.get("data open: probe"));
        String line = t.line();
        assertTrue(line.startsWith("rba: time: read 2.00 s, fit 0.00 s, calibration ORT run 2.25 s, data open: probe 0.25 s"), line);
        assertTrue(line.matches(".*, other \\d+\\.\\d\\d s, total \\d+\\.\\d\\d s"), line);
    }

    @Test
    void aFailingStageIsTimedAndItsExceptionPasses() {
        StageTimes t = new StageTimes();
        assertThrows(IOException.class, () -> t.time("write", () -> {
            throw new IOException("disk full");
        }));
        assertTrue(t.seconds().containsKey("write"));
        assertThrows(IllegalArgumentException.class, () -> t.add("x", -1));
    }
}
