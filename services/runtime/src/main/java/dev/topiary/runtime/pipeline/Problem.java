package dev.topiary.runtime.pipeline;

import java.nio.file.Path;

/**
 * One thing wrong in a pipeline file, located the way compilers do it, so editors and terminals
 * can jump to it.
 *
 * @param file where; null when the pipeline was built in code
 * @param line 1-based; 0 when the problem concerns the file as a whole (e.g. it cannot be read)
 */
public record Problem(Path file, int line, String message) {

    /** {@code FILE:LINE: message}, or {@code FILE: message} when there is no line. */
    @Override
    public String toString() {
        return location(file, line) + ": " + message;
    }

    /** {@code FILE:LINE}, or {@code FILE} when there is no line. */
    static String location(Path file, int line) {
        String where = file == null ? "<pipeline>" : file.toString();
        return line > 0 ? where + ":" + line : where;
    }
}
