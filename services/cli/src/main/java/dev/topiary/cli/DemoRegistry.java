package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.registry.browser.HeadlessChromium;
import dev.topiary.registry.client.RegistryClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The demo's registry, seen from outside as a user sees it: over HTTP, and in a browser. */
final class DemoRegistry {
    private static final int WIDTH = 1440;
    private static final int HEIGHT = 1000;

    private DemoRegistry() {}

    /**
     * Waits until the registry's API lists every version of the result (the registry reads the
     * same topics on its own, a moment behind), so the page shows all of them; says so if it does not.
     */
    static void awaitRegistered(String url, DemoResult result, Duration timeout) throws InterruptedException {
        RegistryClient client = new RegistryClient(url);
        Map<String, Long> perLineage = result.versions().stream()
                .collect(Collectors.groupingBy(ModelVersion::getLineage, Collectors.counting()));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = perLineage.entrySet().stream().allMatch(e -> client.versionsSoFar(e.getKey()).size() >= e.getValue());
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("the registry at " + url + " does not list every version after " + timeout.toSeconds() + " s");
                return;
            }
            Thread.sleep(200);
        }
    }

    /**
     * Saves the page as headless Chromium shows it: the lineage with the most versions, its graph
     * drawn in full, its newest version opened beside its parent.
     */
    static void screenshot(String url, List<ModelVersion> roots, DemoResult result, Path file) throws IOException {
        HeadlessChromium.unavailable().ifPresent(reason -> {
            throw new UserError("--screenshot: " + reason);
        });
        Map<String, List<ModelVersion>> byLineage = result.versions().stream()
                .collect(Collectors.groupingBy(ModelVersion::getLineage));
        List<ModelVersion> richest = roots.stream().map(r -> byLineage.getOrDefault(r.getLineage(), List.of()))
                .max(Comparator.comparingInt(List::size)).orElseThrow();
        ModelVersion newest = richest.get(richest.size() - 1);
        ChromeDriver browser = HeadlessChromium.start(WIDTH, HEIGHT);
        try {
            browser.get(url + "/#lineage=" + encode(newest.getLineage()) + "&version=" + encode(newest.getId()));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            String state = wait.until(d -> d.findElement(By.id("app")).getDomAttribute("data-ready"));
            if (!"true".equals(state)) {
                throw new IllegalStateException("the registry's page at " + url + " failed to load (data-ready=" + state + ")");
            }
            wait.until(d -> String.valueOf(richest.size()).equals(d.findElement(By.id("app")).getDomAttribute("data-nodes")));
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
