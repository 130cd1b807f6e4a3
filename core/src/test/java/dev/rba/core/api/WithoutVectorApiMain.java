package dev.rba.core.api;

import dev.rba.core.Rba;
import dev.rba.core.analysis.RedundancyReport;
import dev.rba.core.analysis.SpanScore;
import dev.rba.core.linalg.simd.VectorApi;

import java.nio.file.Path;

/**
 * Run by {@link WithoutVectorApiTest} in a JVM started without {@code --add-modules jdk.incubator.vector}: the
 * analysis on the java backend, one line per span ("first-last BR"), after a line saying whether the module is there.
 */
public final class WithoutVectorApiMain {

    private WithoutVectorApiMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("vector-api " + VectorApi.PRESENT);
        print(analyze(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2])));
    }

    static RedundancyReport analyze(Path model, Path data, int samples) throws Exception {
        try (Rba rba = Rba.open(model, new Rba.Settings("java", 32, 1, null, 0))) {
            return rba.analyze(data, samples);
        }
    }

    static void print(RedundancyReport report) {
        for (SpanScore s : report.spans()) {
            System.out.println(s.firstBlock() + "-" + s.lastBlock() + " " + s.br());
        }
    }
}
