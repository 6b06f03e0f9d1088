package dev.topiary.registry.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.webjars.WebJarVersionLocator;

/**
 * The page's JavaScript libraries, served from their WebJars under version-free paths
 * ({@code /lib/echarts.js}), so the page names no version and the pom alone decides it. Read once
 * at start-up: a missing WebJar fails there, not in a browser.
 */
final class WebAssets {
    /** Served name → (WebJar, file inside it). */
    private static final Map<String, String[]> LIBRARIES = Map.of(
            "echarts.js", new String[] {"echarts", "dist/echarts.min.js"});

    private final Map<String, byte[]> files;

    WebAssets() {
        WebJarVersionLocator locator = new WebJarVersionLocator();
        Map<String, byte[]> loaded = new HashMap<>();
        LIBRARIES.forEach((served, where) -> {
            String path = locator.fullPath(where[0], where[1]);
            if (path == null) {
                throw new IllegalStateException("WebJar " + where[0] + " (" + where[1] + ") is not on the classpath");
            }
            try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("WebJar resource missing: " + path);
                }
                loaded.put(served, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        this.files = Map.copyOf(loaded);
    }

    void serve(Context ctx) {
        byte[] file = files.get(ctx.pathParam("name"));
        if (file == null) {
            throw ApiException.notFound("no library '" + ctx.pathParam("name") + "' (known: " + files.keySet() + ")");
        }
        ctx.contentType("text/javascript; charset=utf-8");
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.result(file);
    }
}
