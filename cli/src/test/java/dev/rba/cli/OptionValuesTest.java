package dev.rba.cli;

import dev.rba.core.approx.Span;
import dev.rba.core.data.ImageOptions;
import dev.rba.core.fit.Ridge;
import dev.rba.core.tools.LinalgBench.Operation;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The options picocli converts for the commands (--split, --crop, --scale, --provider, --backend, --ridge,
 * --replace, bench linalg --ops): each accepted form reaches the command as its typed value, and each refusal is one
 * line on stderr that names the option and what is expected, with exit 2 and no stack trace, before anything is
 * opened (the model path here does not exist, and no error is about it).
 */
class OptionValuesTest {
    private static final String MODEL = "no-such-model.onnx";

    @Test
    void cropScaleSplitProviderAndBackendReachAnalyzeTyped() {
        AnalyzeCommand a = parse(AnalyzeCommand.class, "analyze", MODEL, "--data", "d", "--split", "TEST", "--crop", " 32 X 48 ",
                "--scale", "1/255", "--provider", "Cuda", "--backend", "OpenBLAS");
        assertEquals(DataMixin.IdxSplit.TEST, a.data.split);
        assertEquals(new OptionValues.CropSize(32, 48), a.data.crop);
        ImageOptions image = a.data.imageOptions();
        assertEquals(32, image.cropHeight());
        assertEquals(48, image.cropWidth());
        assertEquals(1.0 / 255, image.scale());
        assertEquals(RuntimeMixin.Provider.CUDA, a.runtime.provider);
        assertEquals("cuda", a.runtime.provider());
        assertEquals("openblas", a.backendChoice.backend);

        AnalyzeCommand given = parse(AnalyzeCommand.class, "analyze", MODEL, "--data", "d", "--split", "train", "--crop", "224x224",
                "--scale", "0.5");
        assertEquals(DataMixin.IdxSplit.TRAIN, given.data.split);
        assertEquals(new OptionValues.CropSize(224, 224), given.data.crop);
        assertEquals(0.5, given.data.imageOptions().scale());

        AnalyzeCommand defaults = parse(AnalyzeCommand.class, "analyze", MODEL, "--data", "d");
        assertNull(defaults.data.split);
        assertEquals(ImageOptions.defaults(), defaults.data.imageOptions());
        assertEquals(RuntimeMixin.Provider.CPU, defaults.runtime.provider);
        assertNull(defaults.backendChoice.backend, "no --backend: core reads the system property, else auto");
    }

    @Test
    void ridgeAndSpansReachApproximateTyped() {
        ApproximateCommand a = parse(ApproximateCommand.class, "approximate", MODEL, "--data", "d", "-o", "out.onnx",
                "--replace", "1-1,2-3", "--replace", " 5 ", "--ridge", "AUTO");
        assertEquals(List.of(new Span(1, 1), new Span(2, 3), new Span(5, 5)), a.replace);
        assertEquals(Ridge.AUTO, a.ridge);
        assertEquals(Ridge.relative(1e-6), parse(ApproximateCommand.class, "approximate", MODEL, "--data", "d", "-o", "o.onnx",
                "--remove", "1", "--ridge", "1e-6").ridge);
        assertEquals(Ridge.NONE, parse(ApproximateCommand.class, "approximate", MODEL, "--data", "d", "-o", "o.onnx",
                "--remove", "1", "--ridge", "0").ridge);
        assertNull(parse(ApproximateCommand.class, "approximate", MODEL, "--data", "d", "-o", "o.onnx", "--remove", "1").ridge,
                "no --ridge: none");
    }

    @Test
    void benchOperationsAreAListOrAll() {
        assertEquals(EnumSet.of(Operation.GRAM, Operation.FIT),
                parse(BenchLinalgCommand.class, "bench", "linalg", "--ops", "fit, gram").ops.operations());
        assertEquals(EnumSet.allOf(Operation.class), parse(BenchLinalgCommand.class, "bench", "linalg", "--ops", "all").ops.operations());
        assertEquals(EnumSet.allOf(Operation.class), parse(BenchLinalgCommand.class, "bench", "linalg").ops.operations());
    }

    @Test
    void aRefusedValueIsOneLineNamingTheOptionAndWhatIsExpected() {
        String[] data = {"--data", "no-such-data"};
        assertRefused("--split", "use train or test", "analyze", MODEL, data[0], data[1], "--split", "t10k");
        assertRefused("--split", "use train or test", "evaluate", MODEL, data[0], data[1], "--split", "validation");
        for (String bad : List.of("224", "224x", "x224", "axb", "-1x5", "1x2x3", "9999999999x1")) {
            assertRefused("--crop", "is not HEIGHTxWIDTH in pixels, e.g. 224x224", "analyze", MODEL, data[0], data[1], "--crop", bad);
        }
        assertRefused("--crop", "crop 0x5 is empty", "capture", MODEL, data[0], data[1], "--npy", "acts", "--crop", "0x5");
        for (String bad : List.of("0", "-1", "1/0", "0/1", "x", "1/", "Infinity", "NaN")) {
            assertRefused("--scale", "is not a positive number or a fraction like 1/255", "analyze", MODEL, data[0], data[1],
                    "--scale", bad);
        }
        assertRefused("--provider", "unknown execution provider 'gpu': use cpu or cuda", "analyze", MODEL, data[0], data[1],
                "--provider", "gpu");
        assertRefused("--backend", "unknown backend 'blas': use one of auto, cuda, openblas, java", "analyze", MODEL,
                data[0], data[1], "--backend", "blas");
        for (String bad : List.of("lots", "-1", "NaN", "Infinity")) {
            assertRefused("--ridge", "is neither auto nor a number >= 0", "approximate", MODEL, data[0], data[1], "-o", "o.onnx",
                    "--replace", "1-2", "--ridge", bad);
        }
        assertRefused("--replace", "span 'x-2' is not START-END", "approximate", MODEL, data[0], data[1], "-o", "o.onnx",
                "--replace", "x-2");
        assertRefused("--replace", "span 5-4 is not a block range", "approximate", MODEL, data[0], data[1], "-o", "o.onnx",
                "--replace", "1-2,5-4");
        assertRefused("--ops", "unknown benchmark operation 'gemm'", "bench", "linalg", "--ops", "gram,gemm");
        // the value is echoed: a line break or escape in it must not break or colour the one line
        assertRefused("--crop", "'1 2\\x1b[31m' is not HEIGHTxWIDTH", "analyze", MODEL, data[0], data[1], "--crop", "1\n2\u001b[31m");
    }

    /** The command object picocli fills from {@code args}, without running it. */
    private static <T> T parse(Class<T> type, String... args) {
        CommandLine cli = Main.commandLine();
        CommandLine.ParseResult result = cli.parseArgs(args);
        while (result.hasSubcommand()) result = result.subcommand();
        return type.cast(result.commandSpec().userObject());
    }

    private static void assertRefused(String option, String expected, String... args) {
        CliRunner r = CliRunner.run(args);
        String what = String.join(" ", args) + ": " + r.err();
        assertEquals(CliErrors.BAD_INPUT, r.exitCode(), what);
        assertEquals(1, r.err().strip().lines().count(), what);
        assertTrue(r.err().startsWith("rba: Invalid value for option '" + option + "'"), what);
        assertTrue(r.err().contains(expected), what);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), what);
        assertEquals("", r.out(), what);
    }
}
