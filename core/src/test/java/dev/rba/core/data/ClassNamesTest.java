package dev.rba.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where class names come from and how class folders are matched to them (never by sort order). */
class ClassNamesTest {
    private static final Path PNG = Fixtures.data().resolve("fashion-mnist-png/bag/00018.png");

    /** A folder root/<name>/one.png per name. */
    private static Path folders(Path root, String... names) throws IOException {
        for (String n : names) {
            Files.createDirectories(root.resolve(n));
            Files.copy(PNG, root.resolve(n).resolve("one.png"));
        }
        return root;
    }

    private static CalibrationData open(Path root, Map<String, String> meta, ClassNames names) throws IOException {
        return DataSources.open(root, Fixtures.fmnistInputs(),
                new DataOptions(null, false, ImageOptions.defaults(), meta, names));
    }

    private static int[] labels(CalibrationData d) {
        return d.batches(64).iterator().next().labels();
    }

    @Test
    void hfConfigBesideTheModelGivesTheOrderNotTheFolderSort(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("config.json"), """
                {"architectures": ["X"], "id2label": {"1": "zebra", "0": "Yak", "2": "ant"},
                 "label2id": {"ant": 2, "Yak": 0, "zebra": 1}, "hidden_size": 8}""");
        ClassNames names = ClassNames.ofModel(Map.of(), tmp);
        assertEquals(List.of("Yak", "zebra", "ant"), names.names());
        CalibrationData d = open(folders(tmp.resolve("data"), "ant", "yak", "zebra"), Map.of(), names);
        assertArrayEquals(new int[] {2, 0, 1}, labels(d), "folders ant, yak, zebra (sorted) are classes 2, 0, 1");
        assertTrue(d.description().contains("config.json"), d.description());
    }

    @Test
    void metadataIdToLabelJsonAndPythonDictAreRead() {
        assertEquals(List.of("a b", "c"), ClassNames.fromMetadata(Map.of("id2label", "{\"0\": \"a b\", \"1\": \"c\"}")).names());
        assertEquals(List.of("person", "bicycle"), ClassNames.fromMetadata(Map.of("names", "{0: 'person', 1: 'bicycle'}")).names());
        assertEquals(List.of("x", "y"), ClassNames.fromMetadata(Map.of("classes", "[\"x\", \"y\"]")).names());
        assertNull(ClassNames.fromMetadata(Map.of("rba.input.mean", "0.5")));
        assertThrows(InvalidInputException.class, () -> ClassNames.fromMetadata(Map.of("id2label", "{\"0\": \"a\", \"2\": \"b\"}")));
    }

    @Test
    void classNamesFileWinsAndLooseFormsMatch(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("names.txt"), "T-shirt/top\nAnkle boot\n\n");
        ClassNames names = ClassNames.fromFile(file);
        CalibrationData d = open(folders(tmp.resolve("data"), "ANKLE_BOOT", "tshirt-top"), Map.of("rba.labels", "p,q"), names);
        assertArrayEquals(new int[] {1, 0}, labels(d));
        assertEquals(List.of("T-shirt/top", "Ankle boot"), d.classNames());
    }

    @Test
    void numericFoldersAreTheirNumbers(@TempDir Path tmp) throws IOException {
        CalibrationData d = open(folders(tmp, "10", "2", "7"), Map.of(), null);
        assertArrayEquals(new int[] {10, 2, 7}, labels(d));
    }

    @Test
    void unmatchedFoldersGiveNoLabelsAndSayHowToGiveThem(@TempDir Path tmp) throws IOException {
        CalibrationData none = open(folders(tmp.resolve("a"), "cat", "dog"), Map.of(), null);
        assertFalse(none.hasLabels());
        assertTrue(none.warnings().getFirst().contains("records no class names") && none.warnings().getFirst().contains("--class-names"),
                none.warnings().toString());
        CalibrationData partly = open(folders(tmp.resolve("b"), "cat", "dog"), Map.of("rba.labels", "cat,bird"), null);
        assertFalse(partly.hasLabels(), "one folder matching no name: no labels for any");
        assertTrue(partly.warnings().getFirst().contains("class folder(s) dog match no class name"), partly.warnings().toString());
    }

    @Test
    void aLooseFormSharedByTwoNamesMatchesNeither(@TempDir Path tmp) throws IOException {
        CalibrationData d = open(folders(tmp, "ab"), Map.of("rba.labels", "a-b,a_b"), null);
        assertFalse(d.hasLabels());
        CalibrationData exact = open(folders(tmp.resolve("x"), "a_b"), Map.of("rba.labels", "a-b,a_b"), null);
        assertArrayEquals(new int[] {1}, labels(exact));
    }
}
