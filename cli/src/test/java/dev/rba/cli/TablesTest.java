package dev.rba.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablesTest {
    private static String print(Tables t) {
        StringWriter s = new StringWriter();
        try (PrintWriter out = new PrintWriter(s)) {
            t.print(out);
        }
        return s.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void columnsArePaddedToTheWidestCell() {
        Tables t = new Tables("a", "bbb", "c");
        t.row("xxxx", "y", "z");
        assertEquals("a     bbb  c\nxxxx  y    z\n", print(t));
    }

    @Test
    void aColumnEmptyInEveryRowPrints() {
        // the held-out table of unlabeled data has an accuracy column with an empty header and empty cells
        Tables t = new Tables("blocks", "", "drop");
        t.row(2, "", "0.50");
        t.row(3, null, "1.25");
        assertEquals("blocks    drop\n2         0.50\n3         1.25\n", print(t));
    }

    @Test
    void theLastColumnWrapsAtSpacesWithinTheWidth() {
        Tables t = new Tables("name", "text");
        String words = "word ".repeat(40).strip();
        t.row("a", words + "\n" + "x".repeat(150));
        String[] lines = print(t).split("\n");
        for (String line : lines) assertTrue(line.length() <= Tables.WIDTH, line);
        assertEquals(words, String.join(" ", java.util.Arrays.stream(lines).skip(1).limit(3).map(l -> l.substring(6)).toList()));
        assertTrue(lines[1].startsWith("a     word") && lines[2].startsWith("      word"), lines[1] + "|" + lines[2]);
        assertEquals("x".repeat(150), lines[4].strip() + lines[5].strip(), "a word longer than the width breaks hard");
    }
}
