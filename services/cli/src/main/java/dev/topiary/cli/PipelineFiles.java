package dev.topiary.cli;

import dev.topiary.runtime.pipeline.PipelineException;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.Problem;
import dev.topiary.runtime.service.ServiceKinds;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Loads pipeline files against the service kinds on the classpath; problems become one error listing each as FILE:LINE. */
final class PipelineFiles {
    private PipelineFiles() {}

    static PipelineSet load(List<Path> files) {
        try {
            return PipelineSet.load(files, ServiceKinds.catalog());
        } catch (PipelineException e) {
            throw new UserError("invalid pipeline file\n" + e.problems().stream().map(Problem::toString)
                    .collect(Collectors.joining("\n")));
        }
    }
}
