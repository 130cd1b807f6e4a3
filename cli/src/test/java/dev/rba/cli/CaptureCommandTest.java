package dev.rba.cli;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataBatch;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npy;
import dev.rba.core.data.SampleSplit;
import dev.rba.core.pipeline.LoadedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureCommandTest {
    static final String VIT = AnalyzeCommandTest.VIT;
    static final String IDX = AnalyzeCommandTest.IDX;

    /** An --npy folder that cannot be created is refused before the capture, naming the option (was "X: Not a directory"). */
    @Test
    void anNpyFolderUnderAFileIsRefusedFirst(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        CliRunner r = CliRunner.run("capture", VIT, "--data", IDX, "--split", "test", "--samples", "4",
                "--npy", file.resolve("acts").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, before the data is read: " + r.err());
        assertTrue(r.err().contains("--npy") && r.err().contains("is a file") && r.err().contains("choose another folder"), r.err());
    }

    /** A capture that fails (NaN in the data) removes the --npy folders it created; before, they stayed, empty. */
    @Test
    void aFailedCaptureLeavesNoFolderItCreated(@TempDir Path dir) throws Exception {
        dev.rba.core.data.NdArray x = dev.rba.core.data.NdArray.allocate(dev.rba.core.data.ElementType.FLOAT32, 4, 1, 28, 28);
        x.setDouble(3 * 784 + 100, Double.NaN);
        Path npz = dir.resolve("nan.npz");
        dev.rba.core.data.Npz.write(npz, java.util.Map.of("pixel_values", x), false);
        Path out = dir.resolve("new/acts");
        CliRunner r = CliRunner.run("capture", VIT, "--data", npz.toString(), "--samples", "4", "--batch-size", "2",
                "--blocks", "0,3", "--npy", out.toString(), "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("NaN"), r.err());
        assertFalse(Files.exists(dir.resolve("new")), "created folders removed");
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of("nan.npz"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void writesChosenStreamsAndLabels(@TempDir Path dir) throws Exception {
        Path all = dir.resolve("all");
        Path cls = dir.resolve("cls");
        CliRunner r = CliRunner.run("capture", VIT, "--data", IDX, "--split", "test", "--blocks", "0,3,8", "--samples", "20",
                "--batch-size", "8", "--seed", "5", "--npy", all.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "one summary line: " + r.out());
        assertTrue(r.out().contains("h_0.npy, h_3.npy, h_8.npy [20, 50, 64] float32"), r.out());
        for (String f : new String[] {"h_0.npy", "h_3.npy", "h_8.npy", "labels.npy"}) assertTrue(Files.exists(all.resolve(f)), f);
        assertFalse(Files.exists(all.resolve("h_1.npy")));
        try (var files = Files.list(all)) {
            assertEquals(4, files.count(), "no temporary files left behind");
        }

        CliRunner c = CliRunner.run("capture", VIT, "--data", IDX, "--split", "test", "--blocks", "3", "--samples", "20",
                "--batch-size", "6", "--seed", "5", "--tokens", "cls", "--npy", cls.toString(), "-q");
        assertEquals(0, c.exitCode(), c.err());
        // token 0 of the all-token file, captured with another batch size, equals the cls file
        NdArray h3 = Npy.read(all.resolve("h_3.npy"));
        NdArray h3cls = Npy.read(cls.resolve("h_3.npy"));
        assertArrayEquals(new long[] {20, 1, 64}, h3cls.shape());
        for (int s = 0; s < 20; s++) {
            for (int k = 0; k < 64; k++) {
                assertEquals(h3.getDouble((long) s * 50 * 64 + k), h3cls.getDouble((long) s * 64 + k), 1e-5, "sample " + s);
            }
        }

        // labels are those of the seeded sample choice
        NdArray labels = Npy.read(all.resolve("labels.npy"));
        try (LoadedModel m = LoadedModel.open(Path.of(VIT), null)) {
            CalibrationData data = DataSources.open(Path.of(IDX), m.inputSpecs(), new DataOptions("test", false, null, m.metadata()));
            int[] chosen = SampleSplit.seeded(data.size(), 20, 0, 5).fit();
            int i = 0;
            for (DataBatch b : data.batches(20, chosen)) {
                for (int label : b.labels()) assertEquals(label, labels.getLong(i++), "label " + i);
            }
            assertEquals(20, i);
        }
    }

    @Test
    void blockOutOfRangeIsOneLine(@TempDir Path dir) {
        AnalyzeCommandTest.assertBadInput(CliRunner.run("capture", VIT, "--data", IDX, "--blocks", "9", "--npy", dir.toString(), "-q"),
                "h_0..h_8");
    }

    @Test
    void npyPathThatIsAFileIsOneLine(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("x"), "x");
        AnalyzeCommandTest.assertBadInput(CliRunner.run("capture", VIT, "--data", IDX, "--split", "test", "--samples", "4",
                "--npy", f.toString(), "-q"), "is a file");
    }
}
