package dev.topiary.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * What the CLI prints while this is open: System.out and System.err point here (picocli binds its
 * writers to them when a command line is built) and are given back on close.
 */
final class CapturedOutput implements AutoCloseable {
    private final PrintStream oldOut = System.out;
    private final PrintStream oldErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    CapturedOutput() {
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    @Override
    public void close() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }
}
