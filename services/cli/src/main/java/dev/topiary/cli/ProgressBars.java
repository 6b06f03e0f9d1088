package dev.topiary.cli;

import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One bar per job in flight, drawn under the versions already printed. On a terminal the bars are
 * redrawn in place; elsewhere (a pipe, a log) each job gets a plain line at most every 10 s.
 */
final class ProgressBars {
    private static final int WIDTH = 30;
    private static final long PLAIN_INTERVAL_MS = 10_000;

    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final Map<String, Progress> jobs = new LinkedHashMap<>();
    private final Map<String, Long> lastPlainLine = new LinkedHashMap<>();
    private int drawnLines;

    ProgressBars(PrintStream out) {
        this.out = out;
    }

    void update(Progress p) {
        if (p.getState() == ProgressState.RUNNING) {
            jobs.put(p.getJobId(), p);
        } else {
            jobs.remove(p.getJobId());
            lastPlainLine.remove(p.getJobId());
        }
    }

    /** Erases the bars so a version line can be printed where they were. */
    void clear() {
        if (terminal && drawnLines > 0) {
            out.print("\033[" + drawnLines + "F\033[J");
            drawnLines = 0;
        }
    }

    void draw() {
        if (terminal) {
            clear();
            for (Progress p : jobs.values()) {
                out.println(line(p));
            }
            drawnLines = jobs.size();
            return;
        }
        long now = System.currentTimeMillis();
        for (Progress p : jobs.values()) {
            Long last = lastPlainLine.get(p.getJobId());
            if (last == null || now - last >= PLAIN_INTERVAL_MS) {
                out.println(line(p));
                lastPlainLine.put(p.getJobId(), now);
            }
        }
    }

    static String line(Progress p) {
        double done = fraction(p);
        int filled = (int) Math.round(done * WIDTH);
        StringBuilder b = new StringBuilder("  ");
        b.append(p.getPipeline()).append('/').append(p.getStage()).append(' ').append(p.getJobId()).append(" [")
                .append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%3.0f%%", done * 100));
        if (p.getEpochs() > 0) {
            b.append(" epoch ").append(p.getEpoch()).append('/').append(p.getEpochs());
        }
        if (p.getLoss() != null) {
            b.append(String.format(Locale.ROOT, " loss %.4f", p.getLoss()));
        }
        if (p.getEtaSeconds() != null) {
            b.append(String.format(Locale.ROOT, " eta %.0fs", p.getEtaSeconds()));
        }
        if (p.getMessage() != null) {
            b.append(' ').append(p.getMessage());
        }
        return b.toString();
    }

    private static double fraction(Progress p) {
        if (p.getEpochs() <= 0) {
            return 0;
        }
        double withinEpoch = p.getBatches() > 0 ? (double) p.getBatch() / p.getBatches() : 0;
        double epochsDone = Math.max(0, p.getEpoch() - 1) + withinEpoch;
        return Math.min(1, epochsDone / p.getEpochs());
    }
}
