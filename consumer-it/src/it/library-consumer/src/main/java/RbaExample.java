import dev.rba.core.Rba;
import dev.rba.core.analysis.RedundancyReport;
import dev.rba.core.analysis.SpanScore;
import dev.rba.core.approx.Span;
import dev.rba.core.eval.EvaluationReport;
import dev.rba.core.fit.FitMethod;

import java.nio.file.Path;
import java.util.List;

public class RbaExample {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]), calibration = Path.of(args[1]), test = Path.of(args[2]), out = Path.of(args[3]);
        try (Rba rba = Rba.open(model, Rba.Settings.defaults())) {
            System.out.println(rba.blockCount() + " blocks; " + rba.backendSummary());
            RedundancyReport report = rba.analyze(calibration, 500);          // one ONNX Runtime pass, streamed statistics
            for (SpanScore s : report.bestPerLength()) System.out.println(s.label() + ": BR " + s.br());
            Rba.Result r = rba.approximate(calibration, List.of(Span.parse("4-5")), FitMethod.LINEAR, out);
            System.out.println(r.approximation().spans().get(0).label() + " replaced; saved " + r.saved().model());
            EvaluationReport eval = rba.evaluate(r.saved().model(), test, 500); // against the original model
            System.out.printf("agreement with the original: %.1f%%%n", 100 * eval.agreement().top1Agreement());
        }
    }
}
