package dev.topiary.cutter;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.surgery.macs.MacCounter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The one line a dry run ({@code dryRun: true}) reports instead of a version: what the cut would
 * remove, by which criterion, the params and MACs before and after (counted on the cut network
 * itself, so exact, not estimated), the holdout accuracy before and after the unhealed cut, and
 * every candidate's score, e.g.
 * {@code dry run: would cut block3,block5 of 8 units (criterion loss); params 1256202 -> 993034,
 * MACs 1251840 -> 989696, holdout accuracy 0.8600 -> 0.8510 (unhealed); scores: block1=1.1067 ...}.
 */
final class CutReport {
    private CutReport() {
    }

    /** Cuts a copy of {@code model} as {@code spec} says, without healing (but see {@link CutSpec#forDryRun}), and says what came of it. */
    static String dryRun(Model model, CutSpec spec, Dataset data) {
        CutSpec look = spec.forDryRun();
        CutResult r = Cutting.apply(model, look, data, Cutting.healing(model, look, data, null));
        InputType inputType = InputCompatibility.check(model, data).inputType();
        Map<String, Double> s = r.stats();
        return String.format(Locale.ROOT, "dry run: would cut %s of %d units (criterion %s%s); params %d -> %d, MACs %d -> %d, "
                        + "holdout accuracy %.4f -> %.4f (%s); scores: %s",
                String.join(",", r.removed()), s.get("units").intValue(), spec.criterion().label(),
                spec.bridge() ? ", bridged by " + s.get("bridgeParams").longValue() + " params" : "",
                model.numParams(), r.model().numParams(), MacCounter.count(model, inputType),
                MacCounter.count(r.model(), inputType), s.get("holdoutAccuracyBefore"), s.get("holdoutAccuracyAfter"),
                look.finetuneEpochs() == 0 ? "unhealed" : "healed " + look.finetuneEpochs() + " epoch(s)", scores(r.scores()));
    }

    /** Every candidate's score, by name, as the version's {@code cutScores} label writes them. */
    static String scores(Map<String, Double> scores) {
        return new TreeMap<>(scores).entrySet().stream()
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.5g", e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
