package dev.rba.cli;

import dev.rba.core.analysis.AnalysisMetric;
import dev.rba.core.approx.QualityMeasure;
import dev.rba.core.approx.SpanPredictor;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.stats.TokenSelection;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * picocli converters for rba's enum options, which the command line writes in lower case (the constant's name, or
 * its own label where it has one): each converts a value (any case) and is the option's
 * {@code completionCandidates}, so help lists the lower-case names through
 * {@code ${COMPLETION-CANDIDATES}}. A bad value becomes one line that names the option (picocli adds it) and the
 * allowed values.
 */
final class EnumValues {
    private EnumValues() {
    }

    abstract static class LowerCase<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
        private final Class<E> type;
        private final String what;
        private final Function<E, String> name;

        LowerCase(Class<E> type, String what) {
            this(type, what, e -> e.name().toLowerCase(Locale.ROOT));
        }

        LowerCase(Class<E> type, String what, Function<E, String> name) {
            this.type = type;
            this.what = what;
            this.name = name;
        }

        @Override
        public E convert(String text) {
            String value = text.strip();
            if (value.isEmpty()) throw new TypeConversionException("no " + what + " given: use " + allowed());
            for (E e : type.getEnumConstants()) {
                if (name.apply(e).equalsIgnoreCase(value)) return e;
            }
            throw new TypeConversionException("unknown " + what + " '" + value + "': use " + allowed());
        }

        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }

        List<String> names() {
            return Arrays.stream(type.getEnumConstants()).map(name).toList();
        }

        private String allowed() {
            List<String> n = names();
            return String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.getLast();
        }
    }

    /** {@code --split}: the train or the test files of an IDX folder. */
    public static final class Split extends LowerCase<DataMixin.IdxSplit> {
        public Split() {
            super(DataMixin.IdxSplit.class, "split");
        }
    }

    /** {@code --provider}: where ONNX Runtime runs the model. */
    public static final class Provider extends LowerCase<RuntimeMixin.Provider> {
        public Provider() {
            super(RuntimeMixin.Provider.class, "execution provider");
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

    /** {@code --rank-by}: what orders candidate spans before the held-out check. */
    public static final class RankBy extends LowerCase<SpanPredictor> {
        public RankBy() {
            super(SpanPredictor.class, "predictor", SpanPredictor::label);
        }
    }

    /** {@code --search}: the staged check or the accuracy search. */
    public static final class Search extends LowerCase<ApproximateCommand.SearchKind> {
        public Search() {
            super(ApproximateCommand.SearchKind.class, "search");
        }
    }

    /** {@code --quality}: how outputs are compared; {@code auto} converts to null (detected from the output). */
    public static final class Quality extends LowerCase<QualityMeasure> {
        static final String AUTO = "auto";

        public Quality() {
            super(QualityMeasure.class, "quality measure", QualityMeasure::label);
        }

        @Override
        public QualityMeasure convert(String text) {
            return text.strip().equalsIgnoreCase(AUTO) ? null : super.convert(text);
        }

        @Override
        List<String> names() {
            return Stream.concat(Stream.of(AUTO), super.names().stream()).toList();
        }
    }
}
