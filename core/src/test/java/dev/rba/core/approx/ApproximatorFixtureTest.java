package dev.rba.core.approx;

import dev.rba.core.fit.FitMethod;
import dev.rba.core.fit.FitResult;
import dev.rba.core.fit.LinearFits;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.ir.DeadCodeElimination;
import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.TopologicalSort;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.api.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The approximation pipeline on the 8-block Fashion-MNIST ViT (d = 64, 50 tokens) with few samples: identity against
 * an independently cut graph, the statistics fit against a QR fit on the same captured rows, linear against identity
 * on held-out data, sequential refits, the saved file and its record.
 */
class ApproximatorFixtureTest extends OnVitFixture {
    private static final int FIT = 64;
    private static final int CHECK = 160;
    private static final int BATCH = 32;

    private static Approximator approximator(FitMethod method, boolean sequential) {
        ApproximationOptions o = ApproximationOptions.defaults().withMethod(method).withSamples(FIT, CHECK)
                .withBatchSize(BATCH).withSeed(5).withSequential(sequential).withRuntime(1, false);
        return new Approximator(model, data, backend, o, ProgressListener.NONE);
    }

    @Test
    void identityEqualsTheGraphWithTheBlocksCutOut() throws Exception {
        Span span = new Span(3, 4);
        Approximation a = approximator(FitMethod.IDENTITY, false).approximate(List.of(span));

        // independent construction: h_5's consumers read h_3 directly, then the dead blocks go
        OnnxModel cut = OnnxModel.fromProto(model.file().proto());
        Graph g = cut.graph();
        g.replaceAllUses(g.findValue(model.boundaryNames().get(5)), g.findValue(model.boundaryNames().get(3)));
        DeadCodeElimination.run(g);
        TopologicalSort.run(g);

        float[] viaT = logits(a.proto(), 40);
        float[] viaCut = logits(cut.toProto(), 40);
        assertEquals(viaCut.length, viaT.length);
        for (int i = 0; i < viaT.length; i++) {
            assertEquals(viaCut[i], viaT[i], 1e-5 * (1 + Math.abs(viaCut[i])), "logit " + i);
        }
        int d = (int) model.blocks().d();
        long removed = model.blocks().blocks().get(3).parameters() + model.blocks().blocks().get(4).parameters();
        assertEquals(a.parametersBefore() - removed + (long) d * d, a.parametersAfter());
        assertEquals(0, a.spanNodesKept());
    }

    @Test
    void statisticsFitEqualsQrOnTheSameCapturedRows() throws Exception {
        Span span = new Span(2, 4);
        Approximator approx = approximator(FitMethod.LINEAR, false);
        FitResult viaStats = approx.approximate(List.of(span)).fits().getFirst().fit();

        // the same fit samples, captured separately, as raw rows over all tokens
        int[] fitSamples = approx.split().fit();
        int d = (int) model.blocks().d();
        int rows = fitSamples.length * (int) model.blocks().tokens();
        double[][] xy = VitFixture.capturedRows(model, data, fitSamples, 2, 5, BATCH);
        double[] x = xy[0];
        double[] y = xy[1];
        FitResult qr = LinearFits.fitDirectQR(x, y, rows, d, d, false, backend);
        // T itself is only as good as cond(G) * 2^-24 in its weakest directions (fp32 Gram products); the
        // predictions X T are what the model computes, and those must agree closely
        double[] p1 = viaStats.apply(x, rows);
        double rel = VitFixture.relativeDifference(p1, qr.apply(x, rows));
        // fp32 batch Grams (about 1,600 rows summed per product) carry ~1e-6 relative error, amplified by cond(X)
        assertTrue(rel < 2e-4, "X T from the statistics differs from QR's by " + rel
                + " (cond " + viaStats.conditionNumber() + ")");
        // both minimise ||X T - Y||: the statistics' T may not be measurably worse on the rows themselves
        double sse = 0;
        double yy = 0;
        for (int i = 0; i < p1.length; i++) {
            sse += (p1[i] - y[i]) * (p1[i] - y[i]);
            yy += y[i] * y[i];
        }
        double excess = sse / yy - qr.relativeResidual();
        assertTrue(excess >= -1e-12 && excess < 1e-6 * Math.max(qr.relativeResidual(), 1e-3),
                "residual of the statistics' T exceeds QR's optimum by " + excess);
        double tDiff = 0;
        double tNorm = 0;
        for (int i = 0; i < d * d; i++) {
            tDiff += Math.pow(viaStats.t()[i] - qr.t()[i], 2);
            tNorm += qr.t()[i] * qr.t()[i];
        }
        double bound = Math.max(1e-4, 4 * viaStats.conditionNumber() * 0x1p-24);
        assertTrue(Math.sqrt(tDiff / tNorm) < bound, "T differs from QR's by " + Math.sqrt(tDiff / tNorm) + ", more than "
                + bound + " (cond " + viaStats.conditionNumber() + ")");
        assertEquals(qr.relativeResidual(), viaStats.relativeResidual(), 1e-4 * Math.max(1, qr.relativeResidual()));
        assertTrue(qr.relativeResidual() > 0 && qr.relativeResidual() < 1, "residual " + qr.relativeResidual());
    }

    @Test
    void linearBeatsIdentityOnHeldOutSamplesForAMidSpan() throws Exception {
        List<Span> mid = List.of(new Span(3, 5));
        Approximator linear = approximator(FitMethod.LINEAR, false);
        Approximator identity = approximator(FitMethod.IDENTITY, false);
        HeldOutScore lin = linear.check(linear.approximate(mid));
        HeldOutScore id = identity.check(identity.approximate(mid));
        assertEquals(CHECK, lin.samples());
        assertTrue(lin.outputRelativeError() < id.outputRelativeError(), "linear output error "
                + lin.outputRelativeError() + " vs identity " + id.outputRelativeError());
        assertTrue(lin.agreement() >= id.agreement());
        // an untrained export predicts one class for everything: agreement then cannot separate the two
        org.junit.jupiter.api.Assumptions.assumeTrue(linear.checkOriginal().accuracy() > 0.5, "fixture model not trained");
        assertTrue(lin.agreement() > id.agreement(), "linear agreement " + lin.agreement() + " vs identity " + id.agreement());
    }

    @Test
    void sequentialRefitsOnlyTheLaterSpans() throws Exception {
        List<Span> spans = List.of(new Span(5, 6), new Span(1, 2));
        Approximation plain = approximator(FitMethod.LINEAR, false).approximate(spans);
        Approximator seqApprox = approximator(FitMethod.LINEAR, true);
        Approximation seq = seqApprox.approximate(spans);
        assertEquals(List.of(new Span(1, 2), new Span(5, 6)), seq.spans(), "spans come back in model order");
        assertFalse(seq.fits().get(0).sequential());
        assertTrue(seq.fits().get(1).sequential());
        assertTrue(java.util.Arrays.equals(plain.fits().get(0).fit().t(), seq.fits().get(0).fit().t()));
        assertFalse(java.util.Arrays.equals(plain.fits().get(1).fit().t(), seq.fits().get(1).fit().t()));
        assertEquals(FIT, seq.fits().get(1).fitSamples());
        HeldOutScore s = seqApprox.check(seq);
        assertTrue(s.agreement() > 0.5, "sequential agreement " + s.agreement());
    }

    @Test
    void savedModelLoadsAndRecordsWhatWasDone(@TempDir Path dir) throws Exception {
        Approximator approx = approximator(FitMethod.AFFINE, false);
        Approximation a = approx.approximate(List.of(new Span(6, 7)));
        HeldOutScore orig = approx.checkOriginal();
        HeldOutScore score = approx.check(a);
        Path out = dir.resolve("approx.onnx");
        SavedModel saved = approx.save(a, out, orig, score);
        assertTrue(Files.size(out) > 0);
        try (OnnxModelFile f = OnnxModelFile.read(out)) {
            assertEquals(a.parametersAfter(), f.parameterCount());
            float[] fromFile;
            try (ModelRunner r = ModelRunner.open(f, RuntimeOptions.defaults().withThreads(1))) {
                fromFile = r.collect(new CalibrationInputs(data, new int[] {0, 1, 2, 3}, 4), 4, List.of("logits")).get("logits");
            }
            float[] inMemory = logits(a.proto(), 4);
            for (int i = 0; i < inMemory.length; i++) assertEquals(inMemory[i], fromFile[i], 0f);
            String json = OnnxModel.fromProto(f.proto()).metadata().get(ApproximationRecord.KEY);
            assertEquals(saved.record(), json);
            @SuppressWarnings("unchecked")
            Map<String, Object> rec = (Map<String, Object>) dev.rba.onnx.io.JsonText.parse(json);
            assertEquals("affine", rec.get("translator"));
            assertEquals(sha256(model.path()), ((Map<?, ?>) rec.get("source_model")).get("sha256"));
            assertEquals(FIT, ((Number) rec.get("samples")).intValue());
            List<?> spans = (List<?>) rec.get("spans");
            assertEquals(1, spans.size());
            Map<?, ?> s = (Map<?, ?>) spans.getFirst();
            assertEquals(List.of(6, 7), s.get("blocks"));
            assertEquals(6, s.get("h_in"));
            assertEquals(8, s.get("h_out"));
            assertEquals(a.fits().getFirst().fit().relativeResidual(), (Double) s.get("relative_residual"), 1e-9);
            assertNotNull(rec.get("date"));
            assertEquals(a.parametersBefore(), ((Number) rec.get("parameters_before")).longValue());
            // the input metadata (normalisation) is kept beside the record
            assertEquals(model.metadata().get("rba.input.mean"), OnnxModel.fromProto(f.proto()).metadata().get("rba.input.mean"));
        }
    }

    @Test
    void modelWithExternalDataGivesAnOutputWithExternalData(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Path external = src.resolve("vit_ext.onnx");
        dev.rba.onnx.io.OnnxModelWriter.write(model.file(), external, dev.rba.onnx.io.WriteOptions.external());
        Path outDir = dir.resolve("out");
        Files.createDirectories(outDir);
        Path out = outDir.resolve("vit_ext_rba.onnx");
        SavedModel saved;
        try (OnnxLoadedModel ext = OnnxLoadedModel.open(external, List.of())) {
            assertTrue(ext.file().hasExternalData());
            ApproximationOptions o = ApproximationOptions.defaults().withSamples(FIT, 0).withBatchSize(BATCH).withRuntime(1, false);
            Approximator approx = new Approximator(ext, data, backend, o, ProgressListener.NONE);
            saved = approx.save(approx.approximate(List.of(new Span(1, 2))), out, null, null);
            assertNotNull(saved.dataFile(), "external source, external output");
            assertEquals(outDir.resolve("vit_ext_rba.onnx.data"), saved.dataFile());
            assertThrows(IllegalArgumentException.class, () -> approx.checkOutput(external.resolveSibling("vit_ext.onnx.data")));
        }
        // loads from its own folder, with the source folder gone: the data really is beside the output
        try (var files = Files.list(src)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        try (OnnxModelFile f = OnnxModelFile.read(out);
             ModelRunner r = ModelRunner.open(f, RuntimeOptions.defaults().withThreads(1))) {
            float[] y = r.collect(new CalibrationInputs(data, new int[] {0, 1}, 2), 2, List.of("logits")).get("logits");
            assertEquals(20, y.length);
            for (float v : y) assertTrue(Float.isFinite(v));
        }
        // what a command that fails after saving calls: the model and its data file both go
        saved.delete();
        try (var files = Files.list(outDir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void statisticsFileIsWrittenThenReused(@TempDir Path dir) throws Exception {
        Path stats = dir.resolve("vit.stats");
        ApproximationOptions o = ApproximationOptions.defaults().withSamples(FIT, 0).withBatchSize(BATCH)
                .withRuntime(1, false).withStatsFile(stats);
        List<Span> spans = List.of(new Span(2, 3));
        FitResult first = new Approximator(model, data, backend, o, ProgressListener.NONE).approximate(spans).fits().getFirst().fit();
        assertTrue(Files.size(stats) > 0, "statistics written");
        long written = Files.getLastModifiedTime(stats).toMillis();
        // read back for the same model and samples (other samples are refused: StaleStatisticsFixtureTest)
        FitResult again = new Approximator(model, data, backend, o, ProgressListener.NONE)
                .approximate(spans).fits().getFirst().fit();
        assertTrue(java.util.Arrays.equals(first.t(), again.t()));
        assertEquals(written, Files.getLastModifiedTime(stats).toMillis());
        FitResult fresh = new Approximator(model, data, backend, o.withSeed(99).withStatsFile(null), ProgressListener.NONE)
                .approximate(spans).fits().getFirst().fit();
        assertFalse(java.util.Arrays.equals(first.t(), fresh.t()), "another seed, other samples, another T");
    }

    @Test
    void badSpansAndOutputsAreRefused() {
        Approximator approx = approximator(FitMethod.LINEAR, false);
        assertThrows(IllegalArgumentException.class, () -> approx.checkSpans(List.of(new Span(6, 8))));
        assertThrows(IllegalArgumentException.class, () -> approx.checkSpans(List.of(new Span(1, 3), new Span(3, 4))));
        assertThrows(IllegalArgumentException.class, () -> Span.parse("4-x"));
        assertThrows(IllegalArgumentException.class, () -> Span.parse("5-4"));
        assertThrows(IllegalArgumentException.class, () -> approx.checkOutput(model.path()));
    }

    private static float[] logits(ModelProto proto, int samples) {
        int[] idx = new int[samples];
        for (int i = 0; i < samples; i++) idx[i] = i;
        try (ModelRunner r = ModelRunner.open(proto, model.file().folder(), RuntimeOptions.defaults().withThreads(1))) {
            return r.collect(new CalibrationInputs(data, idx, 8), 8, List.of("logits")).get("logits");
        }
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
