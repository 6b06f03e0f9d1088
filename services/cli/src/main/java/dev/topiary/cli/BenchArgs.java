package dev.topiary.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's own command line, rebuilt from the options picocli parsed for {@code topiary bench X}
 * (the benchmarks live in their modules and parse their arguments themselves, so they also run
 * from a plain {@code main}). An option without a value and a flag that is off are left out.
 */
final class BenchArgs {
    private final List<String> args = new ArrayList<>();

    BenchArgs option(String name, Object value) {
        if (value != null) {
            args.add(name);
            args.add(value.toString());
        }
        return this;
    }

    BenchArgs options(String name, List<?> values) {
        values.forEach(v -> option(name, v));
        return this;
    }

    BenchArgs flag(String name, boolean on) {
        if (on) {
            args.add(name);
        }
        return this;
    }

    String[] toArray() {
        return args.toArray(String[]::new);
    }
}
