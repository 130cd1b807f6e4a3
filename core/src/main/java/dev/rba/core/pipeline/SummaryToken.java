package dev.rba.core.pipeline;

import dev.rba.core.onnx.ActivationFloats;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.onnx.OnnxLoadedModel;
import ai.onnxruntime.OnnxJavaType;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.runtime.ActivationCapture;
import dev.rba.onnx.runtime.CaptureOptions;
import dev.rba.onnx.runtime.CapturedBatch;
import dev.rba.onnx.runtime.ForwardingInputs;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.OutputExposer;
import dev.rba.onnx.api.RuntimeOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Which token stands for a whole sample in Block Redundancy: the class token where the model has one, the mean token
 * otherwise (docs/design.md section 1).
 *
 * <p>The data says which: a class token is a learned vector (plus its position embedding) prepended to every sample, so
 * its row of h_0 is the same whatever the input. A few samples are run to h_0 with their float inputs' values shuffled
 * within each sample (so that no patch is constant by chance, as the black corners of digit images are) and integer
 * inputs (token ids, masks) as they are; token 0 is the class token when its row is equal in all of them. Otherwise the
 * model's pooling decides where the graph shows it ({@link ModelPooling}: a text model whose samples do not start with
 * one [CLS] id but whose pooler reads token 0), else the mean. Token counts decide nothing: 49 tokens may be 7x7
 * patches or 48 patches and a class token.
 */
public final class SummaryToken {
    /** Samples run to h_0 for the decision. */
    static final int PROBE_SAMPLES = 8;
    /** Largest difference to the first sample, relative to the row's largest value, that still counts as equal. */
    static final double CONSTANT_TOLERANCE = 1e-5;

    private SummaryToken() {
    }

    /** The choice and its reason in a few words. */
    public record Choice(TokenSelection token, String reason) {
    }

    /**
     * The user's choice: {@code cls}, {@code mean} or a token index ({@code 0} is the class token); null for none.
     * Other indices are refused: the statistics read token 0 or the mean.
     */
    public static TokenSelection parseOption(String text) {
        if (text == null) return null;
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("0")) return TokenSelection.CLS;
        if (t.matches("\\d+")) {
            throw new IllegalArgumentException("--summary-token " + t + ": rba reads token 0 (cls) or the mean of the "
                    + "real tokens; give cls, mean or 0");
        }
        TokenSelection s = TokenSelection.parse(t);
        if (s == TokenSelection.ALL) throw new IllegalArgumentException("--summary-token must be cls, mean or 0, not all");
        return s;
    }

    /** The user's token, with that as the reason. */
    public static Choice given(TokenSelection token) {
        return new Choice(token, "given with --summary-token");
    }

    /**
     * Decides from h_0 of up to {@value #PROBE_SAMPLES} of the chosen samples (one extra short ONNX Runtime run, or
     * one per sample where the model fixes its batch at 1).
     *
     * @param maskInput the padding-mask input (null: none or the capture's default)
     */
    public static Choice fromData(LoadedModel model, CalibrationData data, int[] samples, RuntimeOptions runtime,
                                  String maskInput) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples to decide the summary token from");
        OnnxLoadedModel onnx = OnnxLoadedModel.of(model);
        int n = Math.min(PROBE_SAMPLES, samples.length);
        int[] probe = new int[Math.max(2, n)];
        for (int i = 0; i < probe.length; i++) probe[i] = samples[Math.min(i, n - 1)];
        // one run of all of them, or one run each where the model fixes its batch at 1
        int perRun = BatchSizing.forModel(probe.length, model);
        CalibrationInputs inputs = new CalibrationInputs(data, probe, perRun);
        // the mask is found on the whole model: the part that computes h_0 may not show how the mask is used
        CaptureOptions options = new CaptureOptions(perRun, runtime, maskInput != null ? maskInput : model.maskOption());
        ConstantRows constant = new ConstantRows();
        boolean shuffledAny;
        try (Arena arena = Arena.ofConfined();
             ActivationFloats floats = new ActivationFloats();
             ActivationCapture capture = openToH0(onnx, options)) {
            Shuffled shuffled = new Shuffled(inputs, capture.maskInput(), arena);
            capture.run(shuffled, b -> constant.add(b, floats));
            shuffledAny = shuffled.anyShuffled;
            if (!shuffledAny && n < 2) {
                return new Choice(TokenSelection.MEAN, "one sample cannot show a token that is the same for every "
                        + "input: mean of the real tokens (give --summary-token cls if token 0 is a class token)");
            }
        }
        List<Integer> rows = constant.rows();
        String inputsSaid = "h_0 of " + probe.length + " samples" + (shuffledAny ? " (float inputs shuffled)" : "");
        if (rows.contains(0)) {
            return new Choice(TokenSelection.CLS, "token 0 of " + inputsSaid + " is the same for every sample "
                    + "(a learned class token): token 0 (CLS)");
        }
        if (!rows.isEmpty()) {
            return new Choice(TokenSelection.MEAN, "token " + rows.getFirst() + " (not 0) of " + inputsSaid
                    + " is the same for every sample, but rba reads token 0 or the mean: mean of the real tokens");
        }
        Choice pooling = ModelPooling.of(onnx.model().graph().findValue(model.boundaryNames().getLast()));
        String none = "no token of " + inputsSaid + " is the same for every sample (no class token)";
        if (pooling != null) return new Choice(pooling.token(), none + ", and " + pooling.reason());
        return new Choice(TokenSelection.MEAN, none + ": mean of the real tokens");
    }

    /**
     * A capture of h_0 over the part of the model that computes it (the embedding), not the whole model: the decision
     * reads only h_0, and a session of the whole model (serialising, loading and pre-packing every block's weights)
     * cost a ViT-B as much as its whole calibration pass's statistics.
     */
    private static ActivationCapture openToH0(OnnxLoadedModel model, CaptureOptions options) {
        List<String> h0 = List.of(model.boundaryNames().getFirst());
        var prefix = OutputExposer.prefix(model.file().proto(), h0, model.residualShape());
        return ActivationCapture.open(prefix, model.file().folder(), h0, model.residualShape(), options);
    }

    /**
     * Tokens whose h_0 row is equal (to the tolerance) in every probe sample and real in all of them, gathered batch
     * by batch: the samples may come one run at a time (a model that fixes its batch at 1). Each row is compared with
     * the first sample's, relative to that row's largest value.
     */
    private static final class ConstantRows {
        /** The first sample's h_0, tokens x d. */
        private float[] first;
        /** Per token: the largest difference to the first sample's row. */
        private double[] worst;
        /** Per token: padding in some sample. */
        private boolean[] padded;
        private int tokens;
        private int d;

        void add(CapturedBatch b, ActivationFloats floats) {
            int count = b.count();
            MemorySegment h = floats.asFloat32(0, b.h(0), b.elementType(), (long) count * b.tokens() * b.d());
            if (first == null) {
                tokens = b.tokens();
                d = b.d();
                first = new float[tokens * d];
                MemorySegment.copy(h, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, first, 0, first.length);
                worst = new double[tokens];
                padded = new boolean[tokens];
            } else if (b.tokens() != tokens || b.d() != d) {
                throw new IllegalArgumentException("h_0 is [" + b.tokens() + ", " + b.d() + "] per sample in one probe run "
                        + "but [" + tokens + ", " + d + "] in another: give data of one sequence length, or --summary-token");
            }
            for (int s = 0; s < count; s++) {
                for (int t = 0; t < tokens; t++) {
                    if (b.isPadding(s, t)) padded[t] = true;
                    for (int c = 0; c < d; c++) {
                        float v = h.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, ((long) s * tokens + t) * d + c);
                        worst[t] = Math.max(worst[t], Math.abs(v - first[t * d + c]));
                    }
                }
            }
        }

        List<Integer> rows() {
            List<Integer> constant = new ArrayList<>();
            for (int t = 0; t < tokens; t++) {
                if (padded[t]) continue;
                double scale = 0;
                for (int c = 0; c < d; c++) scale = Math.max(scale, Math.abs(first[t * d + c]));
                if (worst[t] <= CONSTANT_TOLERANCE * Math.max(scale, Float.MIN_NORMAL)) constant.add(t);
            }
            return constant;
        }
    }

    /**
     * The probe's inputs with every floating-point input (except the mask) shuffled within each sample, a different
     * permutation per sample: the inputs then differ everywhere, so only input-independent rows stay equal.
     */
    private static final class Shuffled extends ForwardingInputs {
        private final String maskInput;
        private final Arena arena;
        private final Random random = new Random(0x5EED);
        boolean anyShuffled;

        Shuffled(ModelInputs inner, String maskInput, Arena arena) {
            super(inner);
            this.maskInput = maskInput;
            this.arena = arena;
        }

        @Override
        public List<InputTensor> batch(long start, int count) {
            List<InputTensor> out = new ArrayList<>();
            for (InputTensor t : inner.batch(start, count)) {
                boolean floating = t.type() == OnnxJavaType.FLOAT || t.type() == OnnxJavaType.DOUBLE
                        || t.type() == OnnxJavaType.FLOAT16;
                out.add(floating && !t.name().equals(maskInput) ? shuffle(t, count) : t);
            }
            return out;
        }

        private InputTensor shuffle(InputTensor t, int count) {
            anyShuffled = true;
            int size = t.type().size;
            long perSample = t.data().byteSize() / size / count;
            MemorySegment copy = arena.allocate(t.data().byteSize(), 8);
            MemorySegment.copy(t.data(), 0, copy, 0, copy.byteSize());
            byte[] tmp = new byte[size];
            for (int s = 0; s < count; s++) {
                long base = s * perSample * size;
                for (long i = perSample - 1; i > 0; i--) { // Fisher-Yates over elements of this sample
                    long j = (long) (random.nextDouble() * (i + 1));
                    MemorySegment a = copy.asSlice(base + i * size, size);
                    MemorySegment b = copy.asSlice(base + j * size, size);
                    MemorySegment.copy(a, ValueLayout.JAVA_BYTE, 0, tmp, 0, size);
                    MemorySegment.copy(b, 0, a, 0, size);
                    MemorySegment.copy(tmp, 0, b, ValueLayout.JAVA_BYTE, 0, size);
                }
            }
            return new InputTensor(t.name(), t.type(), t.shape(), copy);
        }
    }
}
