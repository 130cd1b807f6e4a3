package dev.rba.cli;

import dev.rba.core.approx.Span;
import dev.rba.core.data.ImageOptions;
import dev.rba.core.fit.Ridge;
import dev.rba.core.linalg.Backends;
import dev.rba.core.tools.LinalgBench;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * picocli converters for rba's option values that are neither plain numbers nor enums (those are {@link EnumValues}):
 * the command gets a typed value and never parses a string itself. A refused value becomes one line saying what is
 * expected; picocli puts {@code Invalid value for option '--x': } before it, and {@link CliErrors} prints that line
 * alone and exits 2, before the command opens anything.
 */
final class OptionValues {
    private OptionValues() {
    }

    /**
     * A converter that calls a parser of rba's own and reports its refusal, an IllegalArgumentException whose message
     * names the text and what is expected, as picocli's.
     */
    abstract static class Parsed<T> implements ITypeConverter<T> {
        private final Function<String, T> parser;

        Parsed(Function<String, T> parser) {
            this.parser = parser;
        }

        @Override
        public T convert(String text) {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --crop HxW}: the centre crop, in pixels. */
    record CropSize(int height, int width) {
        private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*[xX]\\s*(\\d{1,9})\\s*");

        static CropSize parse(String text) {
            Matcher m = FORM.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text.strip() + "' is not HEIGHTxWIDTH in pixels, e.g. 224x224");
            }
            CropSize c = new CropSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            if (c.height < 1 || c.width < 1) {
                throw new IllegalArgumentException("crop " + c.height + "x" + c.width + " is empty: both sizes must be at "
                        + "least 1, e.g. 224x224");
            }
            return c;
        }
    }

    /** {@code --crop}. */
    public static final class Crop extends Parsed<CropSize> {
        public Crop() {
            super(CropSize::parse);
        }
    }

    /** {@code --scale}: a positive number or a fraction like 1/255, read as the model's metadata is. */
    public static final class Scale extends Parsed<Double> {
        public Scale() {
            super(ImageOptions::parseScale);
        }
    }

    /**
     * {@code --backend}: a backend's name, lower case. Stays a name rather than an enum because core's
     * {@link Backends#open(String)} takes one (null: the system property, else auto); checked here so that a typo
     * fails before the model and the data are loaded, not after.
     */
    public static final class BackendName implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            String name = text.strip().toLowerCase(Locale.ROOT);
            if (!Backends.CHOICES.contains(name)) {
                throw new TypeConversionException("unknown backend '" + text.strip() + "': use one of "
                        + String.join(", ", Backends.CHOICES));
            }
            return name;
        }
    }

    /** {@code --ridge}: auto or a factor of the Gram's mean eigenvalue. */
    public static final class RidgeValue extends Parsed<Ridge> {
        public RidgeValue() {
            super(Ridge::parse);
        }
    }

    /**
     * {@code bench linalg --ops}: the operations to time. One value holding a comma-separated list (or all) rather
     * than a picocli list, whose usage would read LIST[,LIST...]... where the help says LIST.
     */
    record BenchOperations(Set<LinalgBench.Operation> operations) {
    }

    /** {@code --ops}. */
    public static final class Operations extends Parsed<BenchOperations> {
        public Operations() {
            super(text -> new BenchOperations(LinalgBench.Operation.parse(text)));
        }
    }

    /** {@code --candidates}: a count of at least 1, or all (every candidate of each size). */
    public static final class CandidateCount extends Parsed<Integer> {
        public CandidateCount() {
            super(text -> {
                String t = text.strip();
                if (t.equalsIgnoreCase("all")) return Integer.MAX_VALUE;
                try {
                    int n = Integer.parseInt(t);
                    if (n >= 1) return n;
                } catch (NumberFormatException e) {
                    // the message below
                }
                throw new IllegalArgumentException("'" + t + "' is not a number of candidates: give N >= 1 or all");
            });
        }
    }

    /** {@code --replace}: one span START-END (or one block). */
    public static final class SpanValue extends Parsed<Span> {
        public SpanValue() {
            super(Span::parse);
        }
    }
}
