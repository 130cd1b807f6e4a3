import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The plain ONNX Runtime forward pass the scale harness compares rba against: one session with ONNX Runtime's
 * default options (all graph optimisations, one intra-op thread per core, as rba's default --threads 0), the first
 * N samples of an uncompressed .npz (float32 pixel_values [N,C,H,W], as np.savez writes it) streamed in batches,
 * every output copied out to Java (as any user reading the logits would). Not part of the Maven build.
 * Usage: java -cp onnxruntime.jar OrtForward.java MODEL.onnx[,MODEL2.onnx...] DATA.npz SAMPLES BATCH [REPEATS]
 * Prints one line per model and repeat: "ort-forward model=.. repeat=.. load_s=.. run_s=.. samples=.. batch=.. cpu_s=..".
 * For experiments on what ONNX Runtime runs (docs/scale.md, exposed tensors): MODEL.onnx@NAME+NAME asks that
 * session for the named outputs only (default: all); ORT_OPTIMIZED_PREFIX=P writes each session's optimised graph
 * to P.M.onnx (M = the model's position) and ORT_PROFILE_PREFIX=P writes ORT's per-node profile to P.M_*.json.
 */
public class OrtForward {
    public static void main(String[] args) throws Exception {
        String[] specs = args[0].split(",");
        String[] models = new String[specs.length];
        java.util.List<java.util.Set<String>> requested = new java.util.ArrayList<>();
        for (int m = 0; m < specs.length; m++) {
            String[] parts = specs[m].split("@", 2);
            models[m] = parts[0];
            requested.add(parts.length == 2 ? new java.util.LinkedHashSet<>(Arrays.asList(parts[1].split("\\+"))) : null);
        }
        String npz = args[1];
        int samples = Integer.parseInt(args[2]), batch = Integer.parseInt(args[3]);
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        // CPU time of the process (ORT's threads included) per run: on a shared machine it varies less than wall time
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        OrtSession[] sessions = new OrtSession[models.length];
        double[] load = new double[models.length];
        String optimized = System.getenv("ORT_OPTIMIZED_PREFIX");
        String profile = System.getenv("ORT_PROFILE_PREFIX");
        try {
            for (int m = 0; m < models.length; m++) {
                long t0 = System.nanoTime();
                try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                    if (optimized != null) so.setOptimizedModelFilePath(optimized + "." + m + ".onnx");
                    if (profile != null) so.enableProfiling(profile + "." + m);
                    sessions[m] = env.createSession(models[m], so);
                }
                load[m] = (System.nanoTime() - t0) / 1e9;
            }
            // Several models: their runs alternate (A B A B ...), so that a noisy machine slows each alike.
            for (int r = 0; r < repeats; r++) {
                for (int m = 0; m < models.length; m++) {
                    String input = sessions[m].getInputNames().iterator().next();
                    long t1 = System.nanoTime();
                    long c1 = os.getProcessCpuTime();
                    int done = run(env, sessions[m], input, requested.get(m), npz, samples, batch);
                    double run = (System.nanoTime() - t1) / 1e9;
                    double cpu = (os.getProcessCpuTime() - c1) / 1e9;
                    System.out.printf(Locale.ROOT, "ort-forward model=%s repeat=%d load_s=%.3f run_s=%.3f samples=%d batch=%d cpu_s=%.3f%n",
                            models[m], r, load[m], run, done, batch, cpu);
                }
            }
        } finally {
            for (OrtSession s : sessions) {
                if (s == null) continue;
                if (profile != null) s.endProfiling();
                s.close();
            }
        }
    }

    private static int run(OrtEnvironment env, OrtSession session, String input, java.util.Set<String> outputs, String npz,
                           int samples, int batch)
            throws Exception {
        try (ZipFile zip = new ZipFile(npz)) {
            ZipEntry entry = zip.getEntry("pixel_values.npy");
            if (entry == null) throw new IOException(npz + ": no pixel_values array");
            try (DataInputStream in = new DataInputStream(zip.getInputStream(entry))) {
                long[] shape = npyShape(in);
                int n = (int) Math.min(samples, shape[0]);
                int per = (int) (shape[1] * shape[2] * shape[3]);
                byte[] raw = new byte[batch * per * 4];
                ByteBuffer direct = ByteBuffer.allocateDirect(batch * per * 4).order(ByteOrder.nativeOrder());
                float[] logits = null;
                int done = 0;
                while (done < n) {
                    int b = Math.min(batch, n - done);
                    in.readFully(raw, 0, b * per * 4);
                    FloatBuffer fb = ByteBuffer.wrap(raw, 0, b * per * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                    FloatBuffer xb = direct.clear().limit(b * per * 4).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
                    xb.put(fb).flip();
                    try (OnnxTensor x = OnnxTensor.createTensor(env, xb, new long[]{b, shape[1], shape[2], shape[3]});
                         OrtSession.Result out = outputs == null ? session.run(Map.of(input, x)) : session.run(Map.of(input, x), outputs)) {
                        FloatBuffer o = ((OnnxTensor) out.get(0)).getFloatBuffer();
                        logits = new float[o.remaining()];
                        o.get(logits);
                    }
                    done += b;
                }
                if (logits == null || !Float.isFinite(logits[0])) throw new IllegalStateException("no finite output");
                return done;
            }
        }
    }

    /** Reads an .npy header (version 1 or 2) and returns its shape; only little-endian float32, C order. */
    private static long[] npyShape(InputStream in) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || magic[0] != (byte) 0x93) throw new IOException("not an .npy array");
        int len = magic[6] == 1 ? (in.read() | in.read() << 8) : (in.read() | in.read() << 8 | in.read() << 16 | in.read() << 24);
        String header = new String(in.readNBytes(len), StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) throw new IOException("need little-endian float32 C-order, got " + header);
        String dims = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')', header.indexOf("'shape'")));
        return Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    }
}
