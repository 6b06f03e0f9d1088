package dev.topiary.registry.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver, for the page's tests and
 * benchmark. The driver is named explicitly: Selenium Manager would otherwise try to download
 * one. Each browser gets a fresh profile and no background traffic (updates, sync, QUIC).
 */
public final class HeadlessChromium {
    public static final Path BROWSER = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** Why no browser can start here, or empty when one can. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            return Optional.of("no Chromium here: " + BROWSER + " and " + DRIVER
                    + " come from Debian's chromium and chromium-driver packages (.ci/run installs them)");
        }
        return Optional.empty();
    }

    /** A headless browser of {@code width} x {@code height} pixels whose console messages are kept. */
    public static ChromeDriver start(int width, int height) {
        unavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        Path profile;
        try {
            profile = Files.createTempDirectory("topiary-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
