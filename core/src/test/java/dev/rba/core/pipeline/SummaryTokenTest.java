package dev.rba.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertThrows;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npz;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.api.RuntimeOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summary token decided from h_0 of real exported models (tools/fixtures/export_token_vits.py): a 49-token ViT
 * that is 48 patches and a class token reads CLS, one that is 7x7 patches with mean pooling reads the mean, whatever
 * the token count suggests.
 */
class SummaryTokenTest {
    static Path repo(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(relative))) return p.resolve(relative);
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static SummaryToken.Choice decide(String model, Path data, int samples) throws IOException {
        try (LoadedModel m = LoadedModel.open(repo("fixtures/models/" + model), List.of())) {
            CalibrationData cd = DataSources.open(data, m.inputSpecs(), DataOptions.defaults(m.metadata()));
            int[] idx = new int[Math.min(samples, cd.size())];
            for (int i = 0; i < idx.length; i++) idx[i] = i;
            return SummaryToken.fromData(m, cd, idx, RuntimeOptions.defaults().withThreads(1), null);
        }
    }

    @Test
    void fortyEightPatchesAndAClassTokenReadTheClassToken() throws IOException {
        SummaryToken.Choice c = decide("vit_cls49.onnx", repo("fixtures/data/fashion-mnist-npz/test-32-24x32.npz"), 32);
        assertEquals(TokenSelection.CLS, c.token(), c.reason());
        assertTrue(c.reason().contains("token 0 of h_0 of 8 samples"), c.reason());
    }

    @Test
    void patchesWithMeanPoolingReadTheMeanThoughTokenZeroIsOftenBlack() throws IOException {
        // The trap the shuffling avoids: token 0 is the top-left patch, black in most of these images, so its h_0 row
        // hardly differs between samples; with the pixels shuffled only an input-independent row stays equal.
        NdArray h0 = Npz.read(repo("fixtures/models/vit_gap49.expected.npz")).get("h_0");
        double spread0 = 0;
        double spread24 = 0;
        for (int s = 1; s < 4; s++) {
            for (int c = 0; c < 32; c++) {
                spread0 = Math.max(spread0, Math.abs(h0.getDouble((s * 49L) * 32 + c) - h0.getDouble(c)));
                spread24 = Math.max(spread24, Math.abs(h0.getDouble((s * 49L + 24) * 32 + c) - h0.getDouble(24 * 32 + c)));
            }
        }
        assertTrue(spread0 < 0.05 * spread24, "token 0 nearly constant in the data: " + spread0 + " vs " + spread24);
        SummaryToken.Choice c = decide("vit_gap49.onnx", repo("fixtures/data/fashion-mnist-npz/test-200.npz"), 200);
        assertEquals(TokenSelection.MEAN, c.token(), c.reason());
        assertTrue(c.reason().startsWith("no token of h_0") && c.reason().contains("head averages"), c.reason());
    }

    @Test
    void aClassTokenAmongFiftyTokensAndTextWithoutAConstantFirstToken() throws IOException {
        assertEquals(TokenSelection.CLS, decide("vit_fmnist_b8.onnx",
                repo("fixtures/data/fashion-mnist-npz/test-200.npz"), 200).token());
        // hf_bert_tiny's samples start with random token ids (no [CLS] id): no row of h_0 is shared, but its pooler
        // reads token 0 of h_L, which the graph shows
        SummaryToken.Choice bert = decide("hf_bert_tiny.onnx", repo("fixtures/models/hf_bert_tiny.expected.npz"), 4);
        assertEquals(TokenSelection.CLS, bert.token(), bert.reason());
        assertTrue(bert.reason().contains("no token of h_0") && bert.reason().contains("head reads token 0"), bert.reason());
    }

    @Test
    void summaryTokenOptionTakesClsMeanOrTokenZero() {
        assertEquals(TokenSelection.CLS, SummaryToken.parseOption("cls"));
        assertEquals(TokenSelection.CLS, SummaryToken.parseOption("0"));
        assertEquals(TokenSelection.MEAN, SummaryToken.parseOption(" Mean "));
        assertEquals(null, SummaryToken.parseOption(null));
        assertThrows(IllegalArgumentException.class, () -> SummaryToken.parseOption("all"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SummaryToken.parseOption("3")).getMessage()
                .contains("token 0 (cls) or the mean"));
    }
}
