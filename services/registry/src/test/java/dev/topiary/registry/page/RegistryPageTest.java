package dev.topiary.registry.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.registry.RegistryOptions;
import dev.topiary.registry.RegistryService;
import dev.topiary.registry.browser.HeadlessChromium;
import dev.topiary.registry.testing.Eventually;
import dev.topiary.registry.testing.HandMadeVersions;
import dev.topiary.runtime.events.Events;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.StageSpec;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.HostContext;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: it loads without console errors, draws one node per version of the
 * lineage, shows a version published meanwhile without a reload, and opens a version's metrics
 * when its node is clicked. Saves {@code target/registry-page.png}.
 */
class RegistryPageTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void theLineageShowsEveryVersionFollowsNewOnesAndOpensAVersionOnClick() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.unavailable().isEmpty(), HeadlessChromium.unavailable().orElse(""));
        String topic = TestBroker.unique("page-models");
        PipelineSet pipelines = PipelineSet.of(List.of(new Pipeline("page", "fashion-mnist", List.of(
                new StageSpec("train", "test-copy", List.of(topic), topic + ".out", Map.of(), List.of(), null, 0)), null)));
        Path state = Files.createTempDirectory("registry-page");
        try (RegistryService registry = RegistryService.start(new HostContext(pipelines, kafka, ArtifactOptions.DEFAULT,
                state, "page", Map.of(RegistryOptions.PORT, "0", RegistryOptions.NAME, TestBroker.unique("page-registry"))));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.plainProducer())) {
            ModelVersion root = TextModels.publish(kafka, topic, "a real artifact");
            String l = root.getLineage();
            ArtifactRef art = root.getArtifact();
            List<ModelVersion> versions = List.of(
                    v(l + "-t", l, List.of(l), OperationKind.TRAIN, 0.872, 266_200, 8.4, art),
                    v(l + "-p90", l, List.of(l + "-t"), OperationKind.PRUNE, 0.870, 266_200, 8.4, art),
                    v(l + "-s25", l, List.of(l + "-t"), OperationKind.PRUNE, 0.861, 66_500, 2.6, art),
                    v(l + "-s15", l, List.of(l + "-s25"), OperationKind.PRUNE, 0.842, 40_000, 1.9, art),
                    v(l + "-f", l, List.of(l + "-s15"), OperationKind.FINETUNE, 0.855, 40_000, 1.9, art),
                    v(l + "-m", l, List.of(l + "-p90", l + "-f"), OperationKind.MERGE, 0.866, 66_500, 2.7, art));
            for (ModelVersion v : versions) {
                producer.send(new ProducerRecord<>(topic + ".out", l, Events.MODEL_VERSION.encode(v))).get();
            }
            Eventually.await(() -> registry.state().lineage(l).size() == 7, "the hand-made lineage");

            ChromeDriver browser = HeadlessChromium.start(1440, 1000);
            try {
                browser.get(registry.url() + "/#lineage=" + l);
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                wait.until(d -> "true".equals(d.findElement(By.id("app")).getDomAttribute("data-ready")));
                assertEquals(7, nodes(browser).size(), "one node per version of the lineage");
                ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");

                producer.send(new ProducerRecord<>(topic + ".out", l, Events.MODEL_VERSION.encode(
                        v(l + "-late", l, List.of(l + "-m"), OperationKind.PRUNE, 0.860, 30_000, 1.5, art)))).get();
                wait.until(d -> nodes(browser).size() == 8);
                assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"),
                        "the new version came without a reload");

                browser.findElement(By.cssSelector("g.node[data-id='" + l + "-s25'] circle")).click();
                wait.until(d -> d.findElements(By.cssSelector("#version-head[data-id='" + l + "-s25']")).size() == 1);
                String metrics = browser.findElement(By.id("metrics")).getText();
                assertTrue(metrics.contains("0.8610") && metrics.contains("66,500") && metrics.contains("0.8720"),
                        "the version's metrics beside its parent's: " + metrics);
                assertTrue(browser.findElement(By.id("download")).getDomAttribute("href").endsWith(l + "-s25/artifact"));

                Path shot = Path.of("target", "registry-page.png");
                Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
                List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList();
                assertEquals(List.of(), errors.stream().map(LogEntry::getMessage).toList(), "console errors");
            } finally {
                browser.quit();
            }
        }
    }

    private static List<WebElement> nodes(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("#graph-svg g.node:not(.outside)"));
    }

    private static ModelVersion v(String id, String lineage, List<String> parents, OperationKind kind, double accuracy,
                                  double macs, double latency, ArtifactRef art) {
        return HandMadeVersions.version(id, lineage, parents, kind.name().toLowerCase(), kind, "fashion-mnist",
                Map.of("accuracy", accuracy, "macs", macs, "latencyMs", latency, "params", macs + 410, "artifactBytes", macs * 4.1), art);
    }
}
