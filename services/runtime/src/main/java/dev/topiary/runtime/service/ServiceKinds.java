package dev.topiary.runtime.service;

import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.pipeline.KindCatalog;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.stage.ServiceKind;
import dev.topiary.runtime.stage.StageParams;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The service kinds on the classpath: stage kinds by the name pipelines use in {@code uses:}, and
 * hosted kinds ({@link HostedKind}) by the name {@code topiary service NAME} uses. The two share one
 * name space, so {@code topiary service NAME} is never ambiguous.
 */
public final class ServiceKinds {
    private ServiceKinds() {}

    /** The stage kinds. */
    public static Map<String, ServiceKind> available() {
        Map<String, ServiceKind> kinds = new TreeMap<>();
        for (ServiceKind kind : ServiceLoader.load(ServiceKind.class)) {
            kinds.put(kind.name(), kind);
        }
        return kinds;
    }

    /** The hosted kinds; refuses one whose name a stage kind already has. */
    public static Map<String, HostedKind> hosted() {
        Map<String, HostedKind> kinds = new TreeMap<>();
        Set<String> stageKinds = available().keySet();
        for (HostedKind kind : ServiceLoader.load(HostedKind.class)) {
            if (stageKinds.contains(kind.name())) {
                throw new IllegalStateException("hosted kind '" + kind.name() + "' (" + kind.getClass().getName()
                        + ") has the name of a stage kind; service names must be unique");
            }
            kinds.put(kind.name(), kind);
        }
        return kinds;
    }

    /** The hosted kinds these pipelines want ({@link HostedKind#wanted}): what {@code topiary up} starts. */
    public static Map<String, HostedKind> hostedWantedBy(PipelineSet pipelines) {
        Map<String, HostedKind> wanted = new TreeMap<>();
        hosted().forEach((name, kind) -> {
            if (kind.wanted(pipelines)) {
                wanted.put(name, kind);
            }
        });
        return wanted;
    }

    /** The stage kinds as the pipeline parser checks stages against them: names, parameters, own metrics. */
    public static KindCatalog catalog() {
        return catalog(available());
    }

    public static KindCatalog catalog(Map<String, ServiceKind> kinds) {
        Map<String, ServiceKind> copy = Map.copyOf(kinds);
        return new KindCatalog() {
            @Override
            public Set<String> names() {
                return copy.keySet();
            }

            @Override
            public Set<String> metricsOf(String kind) {
                ServiceKind k = copy.get(kind);
                Set<String> names = new LinkedHashSet<>();
                if (k != null) {
                    k.metrics().forEach(m -> names.add(MetricNames.qualified(kind, m)));
                }
                return names;
            }

            @Override
            public void checkDataset(String kind, String dataset) {
                ServiceKind k = copy.get(kind);
                if (k != null) {
                    k.checkDataset(dataset);
                }
            }

            @Override
            public void checkParams(String kind, String stage, Map<String, Object> with) {
                ServiceKind k = copy.get(kind);
                if (k != null) {
                    k.check(new StageParams(stage, with));
                }
            }
        };
    }
}
