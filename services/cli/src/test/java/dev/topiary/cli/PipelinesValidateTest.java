package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code topiary pipelines validate}: exit 0 for the shipped pipelines, 1 with FILE:LINE for a broken one. */
class PipelinesValidateTest {
    @Test
    void shippedPipelinesAreValid() {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        Run r = run("pipelines", "validate", root.resolve("pipelines/demo.yaml").toString(),
                root.resolve("pipelines/fashion-compress.yaml").toString());
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("pipeline 'demo' is valid"), r.out);
    }

    @Test
    void brokenPipelineNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, """
                pipeline: broken
                stages:
                  - name: a
                    uses: train
                    from: x
                    to: y
                  - name: b
                    uses: sculpt
                    to: z
                """);
        Run r = run("pipelines", "validate", file.toString());
        assertEquals(1, r.exit);
        assertTrue(r.err.contains(file + ":8:") && r.err.contains("sculpt"), r.err);
        assertTrue(r.err.contains(file + ":7:") && r.err.contains("from"), r.err);
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream oldErr = System.err;
        java.io.ByteArrayOutputStream sysOut = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream sysErr = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(sysOut, true));
        System.setErr(new java.io.PrintStream(sysErr, true));
        try {
            int exit = cl.execute(args);
            return new Run(exit, out + sysOut.toString(), err + sysErr.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
