package dev.topiary.cli;

import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One bar per job in flight (and per set being gathered), drawn under the versions already
 * printed; a matrix job or a set that finishes gets a line of its own. On a terminal the bars are
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

    /**
     * Takes a heartbeat in; returns a line worth printing once (a matrix job or a gathered set that
     * finished), or null.
     */
    String update(Progress p) {
        if (p.getState() == ProgressState.RUNNING) {
            jobs.put(p.getJobId(), p);
            return null;
        }
        jobs.remove(p.getJobId());
        lastPlainLine.remove(p.getJobId());
        return finished(p);
    }

    /**
     * {@code matrix p/s job 3/5 {"seed":3} done: v-...}, {@code gathered p/s by parent v-...: 5 of 5},
     * {@code report p/s on v-...: dry run: would cut ...} (a stage that reported instead of publishing:
     * DONE with a message); null for other work.
     */
    static String finished(Progress p) {
        String stage = p.getPipeline() + "/" + p.getStage();
        if (p.getMatrixJob() != null) {
            var job = p.getMatrixJob();
            return "  matrix " + stage + " job " + (job.getIndex() + 1) + "/" + job.getSize() + " " + job.getCombination()
                    + (p.getState() == ProgressState.DONE ? " done: " + p.getJobId() : " failed: " + p.getMessage());
        }
        if (p.getGathering() != null) {
            var g = p.getGathering();
            return "  " + (p.getState() == ProgressState.DONE ? "gathered " : "refused ") + stage + " by " + g.getBy() + " "
                    + g.getKey() + ": " + counts(g) + (p.getMessage() == null ? "" : " (" + p.getMessage() + ")");
        }
        if (p.getState() == ProgressState.DONE && p.getMessage() != null) {
            return "  report " + stage + " on " + p.getInputId() + ": " + p.getMessage();
        }
        return null;
    }

    private static String counts(dev.topiary.events.GatheringRef g) {
        return g.getArrived() + " of " + g.getExpected() + " arrived" + (g.getFailed() > 0 ? ", " + g.getFailed() + " failed" : "");
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
        if (p.getGathering() != null) {
            var g = p.getGathering();
            double share = g.getExpected() > 0 ? (double) g.getArrived() / g.getExpected() : 0;
            int filled = (int) Math.round(share * WIDTH);
            return "  " + p.getPipeline() + "/" + p.getStage() + " gathering by " + g.getBy() + " " + g.getKey() + " ["
                    + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + counts(g);
        }
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
        if (p.getMatrixJob() != null) {
            b.append(" matrix ").append(p.getMatrixJob().getIndex() + 1).append('/').append(p.getMatrixJob().getSize())
                    .append(' ').append(p.getMatrixJob().getCombination());
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
