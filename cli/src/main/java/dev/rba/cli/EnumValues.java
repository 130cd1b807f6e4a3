package dev.rba.cli;

import dev.rba.core.analysis.AnalysisMetric;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.stats.TokenSelection;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * picocli converters for rba's enum options, which the command line writes in lower case: each converts a value
 * (any case) and is the option's {@code completionCandidates}, so help lists the lower-case names through
 * {@code ${COMPLETION-CANDIDATES}}. A bad value becomes one line that names the option (picocli adds it) and the
 * allowed values.
 */
final class EnumValues {
    private EnumValues() {
    }

    abstract static class LowerCase<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
        private final Class<E> type;
        private final String what;

        LowerCase(Class<E> type, String what) {
            this.type = type;
            this.what = what;
        }

        @Override
        public E convert(String text) {
            String value = text.strip();
            if (value.isEmpty()) throw new TypeConversionException("no " + what + " given: use " + allowed());
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(value)) return e;
            }
            throw new TypeConversionException("unknown " + what + " '" + value + "': use " + allowed());
        }

        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }

        private List<String> names() {
            return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        }

        private String allowed() {
            List<String> n = names();
            return String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.getLast();
        }
    }

    /** {@code --translator}: how a span is replaced. */
    public static final class Translator extends LowerCase<FitMethod> {
        public Translator() {
            super(FitMethod.class, "translator");
        }
    }

    /** {@code --tokens}: which rows of each sample the statistics see. */
    public static final class Tokens extends LowerCase<TokenSelection> {
        public Tokens() {
            super(TokenSelection.class, "token selection");
        }
    }

    /** {@code --metric}: what {@code rba analyze} reports (a comma-separated list). */
    public static final class Metric extends LowerCase<AnalysisMetric> {
        public Metric() {
            super(AnalysisMetric.class, "metric");
        }
    }
}
