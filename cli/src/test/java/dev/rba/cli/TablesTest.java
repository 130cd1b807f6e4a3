package dev.rba.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
