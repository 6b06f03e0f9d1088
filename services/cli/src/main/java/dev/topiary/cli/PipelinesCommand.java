package dev.topiary.cli;

import dev.topiary.runtime.pipeline.PipelineException;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.Problem;
import dev.topiary.runtime.service.ServiceKinds;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Pipeline file tools. */
@Command(name = "pipelines", mixinStandardHelpOptions = true, description = "Work with pipeline files.",
        subcommands = PipelinesCommand.Validate.class)
final class PipelinesCommand {

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check pipeline files: exit 0, or 1 with FILE:LINE: what is wrong, one problem a line.")
    static final class Validate implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Override
        public Integer call() {
            try {
                PipelineSet set = PipelineSet.load(files, ServiceKinds.catalog());
                set.pipelines().forEach(p -> System.out.println(p.file() + ": pipeline '" + p.name() + "' is valid ("
                        + p.stages().size() + " stage" + (p.stages().size() == 1 ? "" : "s") + ")"));
                return 0;
            } catch (PipelineException e) {
                e.problems().stream().map(Problem::toString).forEach(System.err::println);
                return 1;
            }
        }
    }
}
