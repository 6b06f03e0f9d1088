package dev.topiary.registry;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The registry's settings, read from {@code HostContext.options()} ({@code topiary up --registry-port},
 * {@code topiary service registry --port ...}). A bad value fails at start-up naming its key.
 *
 * @param host the address to listen on; loopback unless the user says otherwise, since the registry serves artifacts
 * @param port the HTTP port; 0 picks a free one
 * @param name the Kafka Streams application id, and the prefix of the registry's own topics
 * @param topics versions on topics matching this are registered too, beside the pipelines' own; null for none
 */
public record RegistryOptions(String host, int port, String name, Pattern topics) {
    public static final String HOST = "registry.host";
    public static final String PORT = "registry.port";
    public static final String NAME = "registry.name";
    public static final String TOPICS = "registry.topics";

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;
    public static final String DEFAULT_NAME = "topiary.registry";

    private static final Set<String> KEYS = Set.of(HOST, PORT, NAME, TOPICS);
    private static final Pattern NAME_SYNTAX = Pattern.compile("[a-zA-Z0-9._-]+");

    public static RegistryOptions from(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (key.startsWith("registry.") && !KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown registry option '" + key + "' (known: " + new TreeSet<>(KEYS) + ")");
            }
        }
        String host = options.getOrDefault(HOST, DEFAULT_HOST);
        String portText = options.getOrDefault(PORT, String.valueOf(DEFAULT_PORT));
        int port;
        try {
            port = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PORT + " must be a port number from 0 (any free port) to 65535, not '" + portText + "'");
        }
        String name = options.getOrDefault(NAME, DEFAULT_NAME);
        if (!NAME_SYNTAX.matcher(name).matches()) {
            throw new IllegalArgumentException(NAME + " may hold only letters, digits, '.', '_' and '-', not '" + name + "'");
        }
        String regex = options.get(TOPICS);
        Pattern topics = null;
        if (regex != null && !regex.isBlank()) {
            try {
                topics = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(TOPICS + " is not a regular expression: " + e.getMessage(), e);
            }
        }
        return new RegistryOptions(host, port, name, topics);
    }
}
