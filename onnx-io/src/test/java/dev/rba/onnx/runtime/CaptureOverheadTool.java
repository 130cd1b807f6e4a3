package dev.rba.onnx.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.runtime.OutputExposer.ResidualShape;
import dev.rba.onnx.testmodels.FixtureManifest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measurement, not a test: time to capture every h_k of a fixture model over N samples in batches of B, against a
 * plain ORT run of the unmodified model over the same batches; prints the median of R repeats of each and the ratio.
 * Inputs are random (timing does not depend on pixel values; token ids in [1, 100), masks all ones).
 *
 * <pre>java ... dev.rba.onnx.runtime.CaptureOverheadTool [model-name=vit_fmnist_b8] [N=2000] [B=64] [R=5] [threads=0]</pre>
 */
public final class CaptureOverheadTool {
    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "vit_fmnist_b8";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        FixtureManifest.Entry fx = FixtureManifest.available().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("fixture '" + name + "' not found in fixtures/manifest.json (or its files are missing)"));
        RuntimeOptions runtime = RuntimeOptions.defaults().withThreads(threads);
        try (OnnxModelFile file = OnnxModelFile.read(fx.model());
             ModelRunner plain = ModelRunner.open(file, runtime);
             ActivationCapture capture = ActivationCapture.open(file, fx.hTensors(), new ResidualShape(fx.tokens(), fx.d()),
                     new CaptureOptions(batch, runtime, null))) {
            ModelInputs inputs = randomInputs(plain, n);
            double[] sink = {0};
            // one warm-up of each, then alternate so drift hits both equally
            plain.run(inputs, batch, null, b -> sink[0] += b.outputs().values().iterator().next().values()[0]);
            capture.run(inputs, b -> sink[0] += b.h(0).getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0));
            double[] plainS = new double[repeats];
            double[] captureS = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                plain.run(inputs, batch, null, b -> sink[0] += b.outputs().values().iterator().next().values()[0]);
                long t1 = System.nanoTime();
                capture.run(inputs, b -> sink[0] += b.h(0).getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0));
                long t2 = System.nanoTime();
                plainS[r] = (t1 - t0) / 1e9;
                captureS[r] = (t2 - t1) / 1e9;
            }
            double p = median(plainS);
            double c = median(captureS);
            System.out.printf("model %s: %d samples, batch %d, %d boundaries of [%s, %d], threads %s%n", fx.name(), n, batch,
                    fx.hTensors().size(), fx.tokens() == null ? "seq" : fx.tokens(), fx.d(), threads == 0 ? "ORT default" : threads);
            System.out.printf("plain ORT run: median %.3f s %s%n", p, Arrays.toString(plainS));
            System.out.printf("capture all h: median %.3f s %s%n", c, Arrays.toString(captureS));
            System.out.printf("capture / plain = %.3f  (checksum %.3f)%n", c / p, sink[0]);
        }
    }

    private static ModelInputs randomInputs(ModelRunner runner, int n) throws Exception {
        Random rnd = new Random(1);
        List<InputTensor> tensors = new ArrayList<>();
        Map<String, NodeInfo> info = runner.inputInfo();
        for (String name : runner.inputNames()) {
            TensorInfo ti = (TensorInfo) info.get(name).getInfo();
            long[] shape = ti.getShape().clone();
            shape[0] = n;
            for (int i = 1; i < shape.length; i++) if (shape[i] < 0) shape[i] = 16;   // a text model's sequence length
            int count = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
            if (ti.type == OnnxJavaType.FLOAT) {
                float[] v = new float[count];
                for (int i = 0; i < count; i++) v[i] = (float) rnd.nextGaussian();
                tensors.add(InputTensor.ofFloats(name, v, shape));
            } else {
                long[] v = new long[count];
                for (int i = 0; i < count; i++) v[i] = name.contains("mask") ? 1 : 1 + rnd.nextInt(99);
                tensors.add(InputTensor.ofLongs(name, v, shape));
            }
        }
        return ModelInputs.of(tensors.toArray(InputTensor[]::new));
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private CaptureOverheadTool() {
    }
}
