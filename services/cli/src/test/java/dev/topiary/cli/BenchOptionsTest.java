package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code topiary bench X} with the options its module declares: a bad value is refused with exit
 * code 2 and a message naming the option, before the benchmark loads data or trains (the timeout is
 * far below the minutes the lightest run takes); {@code --help} lists the module's options.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BenchOptionsTest {

    @ParameterizedTest(name = "bench {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            grow --repetition -1                | --repetition must be 0 or more, got -1
            grow --only nonsense                | --only is exact, compute, growth, spread or blocks, got nonsense
            grow --quarter-epochs -2            | --quarter-epochs must be 0 or more, got -2
            grow --target-checks 0              | --target-checks must be at least 1, got 0
            grow --blocks-others-rate 1         | --blocks-others-rate must be in [0, 1), got 1.0
            grow --schedule sometimes           | --schedule is continue or restart, got sometimes
            grow --family cnn                   | --family is mlp or resmlp, got cnn
            grow --init sideways                | --init is copy or fresh, got sideways
            grow --init fresh --noise 0.1       | --noise applies to --init copy only
            grow --augment rotate               | --augment: 'rotate' in 'rotate' is not one of none, flip, shift:N
            grow --repetition one               | Invalid value for option '--repetition': 'one' is not an int
            cut --bogus                         | Unknown option: '--bogus'
            cut --only nonsense                 | --only is resmlp, bridge, mlp or cnn, got nonsense
            merge --only soups --only nonsense  | --only is fusions, soups, inits, inits-cnn, tasks, neurons or layers, got nonsense
            prune --only nonsense               | --only is mlp or cnn, got nonsense
            registry --lineages many            | Invalid value for option '--lineages': 'many' is not an int
            registry --per-lineage 0            | --per-lineage must be at least 1, got 0
            """)
    void badOptionIsRefusedBeforeAnyWork(String command, String message) {
        PipelinesValidateTest.Run r = PipelinesValidateTest.run(("bench " + command).split(" "));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(r.out().isEmpty(), "nothing started: " + r.out());
    }

    @Test
    void helpListsTheModulesOptionsWithTheirDefaults() {
        PipelinesValidateTest.Run r = PipelinesValidateTest.run("bench", "grow", "--help");
        assertEquals(0, r.exit(), r.err());
        for (String option : List.of("--json=FILE", "--epochs=E", "--only=PART", "--small-epochs=K", "--grown-epochs=M",
                "--init=copy|fresh", "--noise=X", "--schedule=continue|restart", "--target-holdout=A", "--target-checks=C", "--seeds=N",
                "--repetition=R", "--family=mlp|resmlp", "--train=ROWS", "--blocks-learning-rate=LR",
                "--blocks-others-rate=S", "--augment=WHAT", "--quarter-epochs=Q", "--parents=DIR")) {
            assertTrue(r.out().contains(option), option + " in\n" + r.out());
        }
        assertTrue(r.out().contains("symmetry-breaking noise") && r.out().contains("(default 0.01)"), r.out());
    }
}
