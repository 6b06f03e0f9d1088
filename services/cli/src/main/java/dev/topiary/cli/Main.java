package dev.topiary.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code topiary} command. */
@Command(name = "topiary", mixinStandardHelpOptions = true, version = "topiary 0.1.0",
        description = "Reshapes trained neural networks (prune, cut, merge, grow) in a pipeline on Apache Kafka.",
        subcommands = {UpCommand.class, ServiceCommand.class, PublishCommand.class, NewCommand.class,
                WatchCommand.class, PullCommand.class, VersionsCommand.class, BestCommand.class, PromoteCommand.class, DemoteCommand.class,
                PipelinesCommand.class, DeadLettersCommand.class, HealthCommand.class, SoakCommand.class,
                DemoCommand.class, BenchCommand.class, HangingTransactionsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // users get the message, which names what was wrong; the stack trace is for TOPIARY_DEBUG
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + messageOf(e)); // e.g. "topiary deadletters list: ..."
            if (System.getenv("TOPIARY_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl;
    }

    private static String messageOf(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
