package dev.topiary.runtime.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * All the pipelines one deployment runs, loaded together so that what must be unique across files
 * is checked at start-up: pipeline names (they name consumer groups and events) and, within a
 * pipeline, stage names. A service asks it for the stages it has to run.
 */
public final class PipelineSet {
    private final List<Pipeline> pipelines;

    private PipelineSet(List<Pipeline> pipelines) {
        this.pipelines = List.copyOf(pipelines);
    }

    /** {@link #load(Collection, KindCatalog)} checking {@code uses} against names only. */
    public static PipelineSet load(Collection<Path> paths, Set<String> knownServiceKinds) throws PipelineException {
        return load(paths, KindCatalog.names(knownServiceKinds));
    }

    /**
     * Parses every file, reporting the problems of all files together. A directory stands for its
     * {@code *.yaml} and {@code *.yml} files (not sub-directories), in name order.
     *
     * @param kinds the service kinds stages may use, with their parameter checks and own metrics
     * @throws PipelineException every problem in every file, then those across files
     */
    public static PipelineSet load(Collection<Path> paths, KindCatalog kinds) throws PipelineException {
        List<Problem> problems = new ArrayList<>();
        List<Pipeline> parsed = new ArrayList<>();
        for (Path file : expand(paths, problems)) {
            try {
                parsed.add(PipelineParser.parse(file, kinds));
            } catch (PipelineException e) {
                problems.addAll(e.problems());
            }
        }
        problems.addAll(crossFileProblems(parsed));
        if (!problems.isEmpty()) {
            throw new PipelineException(problems);
        }
        return new PipelineSet(parsed);
    }

    /** For pipelines built in code; checked the same way as loaded ones. */
    public static PipelineSet of(Collection<Pipeline> pipelines) throws PipelineException {
        List<Problem> problems = crossFileProblems(pipelines);
        if (!problems.isEmpty()) {
            throw new PipelineException(problems);
        }
        return new PipelineSet(new ArrayList<>(pipelines));
    }

    public List<Pipeline> pipelines() {
        return pipelines;
    }

    public Optional<Pipeline> pipeline(String name) {
        return pipelines.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Every stage a service of this kind must run, across all pipelines, in load order. */
    public List<PipelineStage> stagesUsing(String kind) {
        List<PipelineStage> result = new ArrayList<>();
        for (Pipeline pipeline : pipelines) {
            for (StageSpec stage : pipeline.stages()) {
                if (stage.uses().equals(kind)) {
                    result.add(new PipelineStage(pipeline, stage));
                }
            }
        }
        return List.copyOf(result);
    }

    private static List<Path> expand(Collection<Path> paths, List<Problem> problems) {
        // Keyed by the real location so a file named both directly and through its directory loads once.
        Map<Path, Path> files = new LinkedHashMap<>();
        for (Path path : paths) {
            if (!Files.isDirectory(path)) {
                files.putIfAbsent(path.toAbsolutePath().normalize(), path);
                continue;
            }
            try (Stream<Path> listing = Files.list(path)) {
                List<Path> yaml = listing
                        .filter(p -> Files.isRegularFile(p))
                        .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                        .sorted()
                        .toList();
                if (yaml.isEmpty()) {
                    problems.add(new Problem(path, 0, "no pipeline files (*.yaml, *.yml) in this directory"));
                }
                yaml.forEach(p -> files.putIfAbsent(p.toAbsolutePath().normalize(), p));
            } catch (IOException e) {
                problems.add(new Problem(path, 0, "cannot list the directory: " + e));
            }
        }
        return new ArrayList<>(files.values());
    }

    private static List<Problem> crossFileProblems(Collection<Pipeline> pipelines) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Pipeline> byName = new HashMap<>();
        for (Pipeline pipeline : pipelines) {
            Pipeline first = byName.putIfAbsent(pipeline.name(), pipeline);
            if (first != null) {
                problems.add(new Problem(pipeline.file(), pipeline.line(), "pipeline '" + pipeline.name()
                        + "' is already defined at " + Problem.location(first.file(), first.line())));
                continue;
            }
            // The parser already refuses this within a file; pipelines built in code skip the parser.
            Map<String, StageSpec> stages = new HashMap<>();
            for (StageSpec stage : pipeline.stages()) {
                StageSpec earlier = stages.putIfAbsent(stage.name(), stage);
                if (earlier != null) {
                    problems.add(new Problem(pipeline.file(), stage.line(), "duplicate stage name '" + stage.name()
                            + "' in pipeline '" + pipeline.name() + "' (first at " + Problem.location(pipeline.file(), earlier.line()) + ")"));
                }
            }
        }
        return problems;
    }
}
