package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.registry.browser.HeadlessChromium;
import dev.topiary.registry.client.RegistryClient;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.StageSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The main job, as {@code TOPIARY_DATA_DIR=data ./topiary demo --exit} runs it on a fresh machine:
 * its own broker, the shipped demo pipeline on the shipped 5,000-image subset (forced by the data
 * directory, whatever this machine has installed), every stage's operation in the table, no version
 * turned away by a route, and the registry answering over HTTP for every version while it runs.
 * With Chromium here it also saves the page as {@code target/demo-registry-page.png}.
 */
class DemoTest {
    /** The operations each service kind makes. */
    private static final Map<String, Set<OperationKind>> OPERATIONS = Map.of(
            "train", Set.of(OperationKind.TRAIN, OperationKind.FINETUNE),
            "prune", Set.of(OperationKind.PRUNE),
            "cut", Set.of(OperationKind.CUT),
            "merge", Set.of(OperationKind.MERGE),
            "grow", Set.of(OperationKind.GROW));

    private final Path repo = Path.of("../..").toAbsolutePath().normalize();

    @Test
    void demoRunsEveryStageOnTheSubsetRejectsNothingAndServesTheRegistry() throws Exception {
        Path pipelineFile = repo.resolve("pipelines/demo.yaml");
        Pipeline pipeline = PipelineFiles.load(List.of(pipelineFile)).pipelines().get(0);
        Path shot = Path.of("target", "demo-registry-page.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        boolean browser = HeadlessChromium.unavailable().isEmpty();

        AtomicReference<DemoResult> seen = new AtomicReference<>();
        List<String> registryProblems = new ArrayList<>();
        System.setProperty(DatasetCatalog.DATA_DIR_PROPERTY, repo.resolve("data").toString());
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            DatasetCatalog.clearCache();
            assertEquals(repo.resolve("data/fashion-mnist-small").toString(),
                    DatasetCatalog.resolve("fashion-mnist?train=10&test=10").source(), "the data directory forces the subset");
            System.setOut(new PrintStream(out, true));
            CommandLine cl = Main.commandLine();
            DemoCommand demo = cl.getSubcommands().get("demo").getCommand();
            demo.whenAllIn = (result, url) -> {
                seen.set(result);
                // asked while the demo still serves: the registry lists exactly the versions the demo saw
                RegistryClient client = new RegistryClient(url);
                Map<String, Set<String>> byLineage = result.versions().stream().collect(Collectors.groupingBy(
                        ModelVersion::getLineage, Collectors.mapping(ModelVersion::getId, Collectors.toSet())));
                byLineage.forEach((lineage, ids) -> {
                    Set<String> listed = client.versions(lineage).stream().map(ModelVersion::getId).collect(Collectors.toSet());
                    if (!listed.equals(ids)) {
                        registryProblems.add("lineage " + lineage + ": registry lists " + listed + ", the demo saw " + ids);
                    }
                });
                RegistryClient.Response page = client.get("/");
                if (page.status() != 200 || !page.text().contains("<html")) {
                    registryProblems.add("the page answered " + page.status());
                }
            };
            List<String> args = new ArrayList<>(List.of("demo", "--exit", "--registry-port", "0",
                    "--pipeline", pipelineFile.toString()));
            if (browser) {
                args.addAll(List.of("--screenshot", shot.toString()));
            }
            exit = cl.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.clearProperty(DatasetCatalog.DATA_DIR_PROPERTY);
            DatasetCatalog.clearCache();
        }
        String text = out.toString();
        System.out.println(text.substring(Math.max(0, text.lastIndexOf("version "))));
        assertEquals(0, exit, text);
        DemoResult result = seen.get();
        assertNotNull(result, "the demo never had every version in: " + text);
        assertTrue(result.settled() && result.deadLetters().isEmpty(), text);
        assertTrue(text.contains("registry: http://127.0.0.1:"), text);
        assertEquals(List.of(), registryProblems);

        for (StageSpec stage : pipeline.stages()) {
            List<ModelVersion> made = result.versions().stream().filter(v -> v.getStage().equals(stage.name())).toList();
            int expected = stage.matrix() == null ? 1 : stage.matrix().combinations().size();
            assertTrue(made.size() >= expected, "stage " + stage.name() + " made " + made.size() + " versions: " + text);
            assertTrue(made.stream().allMatch(v -> OPERATIONS.get(stage.uses()).contains(v.getOperation().getKind())),
                    "stage " + stage.name() + " (uses " + stage.uses() + "): " + made);
        }
        String table = text.substring(text.lastIndexOf("version "));
        for (OperationKind op : result.versions().stream().map(v -> v.getOperation().getKind()).collect(Collectors.toSet())) {
            assertTrue(table.contains(" " + op.name() + " "), op + " in the table: " + table);
        }
        List<String> turnedAway = result.arrivals().stream().filter(a -> a.routeTaken(pipeline).isPresent())
                .map(a -> a.version().getStage() + " -> " + a.topic()).toList();
        assertEquals(List.of(), turnedAway, "no version may end on a rejection route on the subset: " + table);
        assertTrue(text.contains("none sent out of the pipeline by a route"), text);

        if (browser) {
            byte[] png = Files.readAllBytes(shot);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), "a PNG at " + shot);
        }
    }
}
