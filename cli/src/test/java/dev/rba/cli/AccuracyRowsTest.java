package dev.rba.cli;

import dev.rba.core.approx.Candidate;
import dev.rba.core.approx.HeldOutScore;
import dev.rba.core.approx.Interval;
import dev.rba.core.approx.QualityMeasure;
import dev.rba.core.approx.RunnerUp;
import dev.rba.core.approx.SearchOptions;
import dev.rba.core.approx.SelectionGoal;
import dev.rba.core.approx.SelectionResult;
import dev.rba.core.approx.Span;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accuracy search's text table on a --max-drop result built by hand: twelve single blocks with drops 0.0..1.1
 * and a chosen pair whose drop (1.5) is larger than all of theirs; the table keeps its rows to the best ten and still
 * shows the chosen one and its runner-up.
 */
class AccuracyRowsTest {
    private static HeldOutScore score(double drop) {
        double acc = 0.8 - drop / 100;
        return new HeldOutScore(QualityMeasure.CLASS_SCORES, 2000, acc, 0.95, new Interval(0.94, 0.96), 0.01, Double.NaN,
                Double.NaN, 0.1, drop, new Interval(drop - 0.5, drop + 0.5), 0.01);
    }

    @Test
    void theChosenAndItsRunnerUpAreShownBesideTheTenLeastDrops() {
        List<Candidate> cands = new ArrayList<>();
        for (int b = 0; b < 12; b++) {
            cands.add(new Candidate(List.of(new Span(b, b)), 0.01 * b, b + 1, -1, score(0.1 * b), false));
        }
        List<Span> chosen = List.of(new Span(2, 2), new Span(5, 5));
        List<Span> second = List.of(new Span(3, 3), new Span(7, 7));
        cands.add(new Candidate(chosen, 0.02, 1, -1, score(1.5), true));
        cands.add(new Candidate(second, 0.03, 2, -1, score(1.8), false));
        SearchOptions search = new SearchOptions(Integer.MAX_VALUE, 2, null, 0).withAccuracy();
        RunnerUp up = new RunnerUp(second, 2000, false, 0, 1.5, 1.8, new Interval(-0.2, 0.8));
        SelectionResult r = new SelectionResult(SelectionGoal.maxDrop(2), search, cands, cands.get(12), up, null,
                score(0), 500, 2000, List.of(new SelectionResult.Stage(1, 12, 2000), new SelectionResult.Stage(2, 2, 2000)),
                false, 1.0);
        StringWriter text = new StringWriter();
        ApproximationText.printSelection(new PrintWriter(text, true), r);
        String out = text.toString();
        assertTrue(out.contains("<- chosen (tied)"), out);
        assertTrue(out.contains("runner-up (tied)"), out);
        assertTrue(out.contains("2-2 (h_2->h_3) + 5-5 (h_5->h_6)"), out);
        // ten rows: the chosen, its runner-up and the eight least drops; the rest counted
        long rows = out.lines().filter(l -> l.matches("\\d+\\s+2000\\s.*")).count();
        assertEquals(ApproximationText.ACCURACY_ROWS, rows, out);
        assertTrue(out.contains("(4 more checked, less accurate; --json lists every one)"), out);
        assertTrue(out.contains("0.00 [-0.50, 0.50]") && !out.contains("1.10 [0.60, 1.60]"), "least drops kept: " + out);
    }
}
