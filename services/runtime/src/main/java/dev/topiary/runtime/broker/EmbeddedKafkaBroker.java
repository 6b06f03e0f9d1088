package dev.topiary.runtime.broker;

import dev.topiary.runtime.kafka.HangingTransactionSweeper;
import dev.topiary.runtime.kafka.HangingTransactions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker running inside this JVM: KRaft combined mode (broker and controller in
 * one node, node id {@value #NODE_ID}), listening on {@code 127.0.0.1} only.
 *
 * <p>The data directory is the broker's only log directory (and its metadata log directory). It is
 * formatted on first use, i.e. when it holds no {@code meta.properties}; afterwards the broker
 * reuses it, with the cluster id recorded there, so topics, offsets and transactions survive
 * restarts. Topiary's topics are the system of record, so log retention is unlimited by default.
 *
 * <p>The controller quorum is static ({@code controller.quorum.voters}), so the controller listener
 * may take a different free port on each start; the broker port is the caller's choice (0 picks a
 * free one). Nothing here calls {@code System.exit}: while a broker runs, Kafka's own
 * process-terminating fault handlers stop the broker instead of the JVM (see {@link KafkaExitGuard}).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of("data/kafka"), 9092)) {
 *     String bootstrap = broker.bootstrapServers(); // "127.0.0.1:9092"
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The node id of the single broker/controller. */
    public static final int NODE_ID = 1;
    /** Listener names used by the embedded node. */
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String SECURE_BROKER_LISTENER = "SASL_SSL";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String HOST = "127.0.0.1";
    static final String META_PROPERTIES = "meta.properties";
    /** Our own lock file in the data directory (Kafka ignores plain files there). */
    static final String LOCK_FILE = "topiary-broker.lock";
    /** Written when a secured broker's directory is formatted: its SCRAM users exist only then. */
    static final String SECURED_MARKER = "topiary-secured";
    /** Largest record batch the broker accepts: 1 MiB artifact chunks plus headers and framing. */
    public static final int MESSAGE_MAX_BYTES = 2 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final int BIND_ATTEMPTS = 5;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final KafkaRaftServer server;
    private final DirLock dirLock;
    private final BrokerSecurity security;
    private volatile Duration startupTime = Duration.ZERO;
    private HangingTransactionSweeper sweeper;
    private final Object lock = new Object();
    /** Set once the server has shut down (after {@link #close()} or a fatal fault). */
    private volatile boolean stopped;
    private volatile String fatalFault;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, String clusterId,
                                KafkaRaftServer server, DirLock dirLock, BrokerSecurity security) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.server = server;
        this.dirLock = dirLock;
        this.security = security;
    }

    /**
     * Starts a broker keeping its data in {@code dataDir} (created if missing) and listening on
     * {@code 127.0.0.1:port}; {@code port == 0} picks a free port. Blocks until the broker answers
     * an Admin {@code describeCluster}.
     *
     * @throws IllegalStateException if the broker cannot be started or does not become ready
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * Like {@link #start(Path, int)}, with extra or overriding broker properties (e.g.
     * {@code log.retention.ms}). Overrides of the listener, node and directory settings are refused.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, Map<String, ?> overrides) {
        return start(dataDir, port, overrides, null);
    }

    /**
     * Like {@link #start(Path, int, Map)}; with {@code security}, clients must connect with SASL_SSL
     * (SCRAM-SHA-512, the broker's certificate signed by the security's CA) and every request is
     * authorized by ACLs. A directory formatted with security can only start with it, and the other
     * way round: its SCRAM users are written when it is formatted.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, Map<String, ?> overrides, BrokerSecurity security) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(overrides, "overrides");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        for (String reserved : new String[] {"process.roles", "node.id", "listeners", "advertised.listeners",
                "controller.listener.names", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
                "listener.security.protocol.map", "inter.broker.listener.name", "log.dirs", "log.dir",
                "metadata.log.dir"}) {
            if (overrides.containsKey(reserved)) {
                throw new IllegalArgumentException("'" + reserved + "' is set by EmbeddedKafkaBroker and cannot be overridden");
            }
        }
        long t0 = System.nanoTime();
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + dir, e);
        }

        if (port != 0 && !portIsFree(port)) {
            throw new IllegalStateException("cannot start Kafka: " + HOST + ":" + port + " is already in use");
        }
        // Kafka locks the directory only when its broker part starts, after the controller has opened
        // the metadata log: a second broker on the same directory must be stopped before that.
        DirLock dirLock = DirLock.acquire(dir);
        boolean started = false;
        try {
            EmbeddedKafkaBroker broker = startLocked(dir, port, overrides, dirLock, security, t0);
            started = true;
            return broker;
        } finally {
            if (!started) {
                dirLock.release();
            }
        }
    }

    private static EmbeddedKafkaBroker startLocked(Path dir, int port, Map<String, ?> overrides, DirLock dirLock,
                                                   BrokerSecurity security, long t0) {
        RuntimeException lastBindFailure = null;
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            while (controllerPort == brokerPort) {
                controllerPort = freePort();
            }
            KafkaConfig config = new KafkaConfig(brokerProperties(dir, brokerPort, controllerPort, overrides, security),
                    false);
            String clusterId = formatIfNeeded(dir, config, security);

            KafkaRaftServer server;
            try {
                server = new KafkaRaftServer(config, Time.SYSTEM);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot start embedded Kafka in " + dir + ": " + e.getMessage(), e);
            }
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, brokerPort, controllerPort, clusterId, server,
                    dirLock, security);
            KafkaExitGuard.register(broker);
            try {
                server.startup();
            } catch (RuntimeException e) {
                KafkaExitGuard.unregister(broker);
                shutdownQuietly(server);
                // ports are picked before Kafka binds them, so another process may win the race: retry
                if (isBindFailure(e) && attempt < BIND_ATTEMPTS) {
                    if (port != 0 && !portIsFree(port)) {
                        throw new IllegalStateException("cannot start Kafka: " + HOST + ":" + port
                                + " is already in use", e);
                    }
                    log.debug("Port clash starting embedded Kafka (attempt {}), retrying", attempt, e);
                    lastBindFailure = e;
                    continue;
                }
                throw new IllegalStateException("cannot start embedded Kafka in " + dir + ": " + e.getMessage(), e);
            }
            try {
                awaitReady(broker.bootstrapServers(), security);
                if (security != null) {
                    BrokerAcls.grantUser(broker.bootstrapServers(), security);
                }
                broker.sweeper = HangingTransactionSweeper.start(adminSettings(broker.bootstrapServers(), security),
                        HangingTransactionSweeper.EVERY, HangingTransactionSweeper.MIN_AGE, HangingTransactions.Unknown.HANGING,
                        h -> log.warn("Embedded Kafka: aborted {}", h.describe()),
                        // the broker is starting, stopping or busy, or a partition is moving: the next sweep looks again
                        trouble -> log.debug("Embedded Kafka: {}", trouble));
            } catch (RuntimeException e) {
                broker.shutdownServer();
                throw e;
            }
            broker.startupTime = Duration.ofNanos(System.nanoTime() - t0);
            log.info("Embedded Kafka ready on {} (cluster {}, data {}) in {} ms",
                    broker.bootstrapServers(), clusterId, dir, broker.startupTime.toMillis());
            return broker;
        }
        throw new IllegalStateException("cannot start embedded Kafka: ports kept clashing after " + BIND_ATTEMPTS
                + " attempts", lastBindFailure);
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The secrets clients need when the broker is secured; null when it is not. */
    public BrokerSecurity security() {
        return security;
    }

    /** The port clients connect to. */
    public int port() {
        return port;
    }

    /** The cluster id, generated when the data directory was formatted and kept across restarts. */
    public String clusterId() {
        return clusterId;
    }

    /** The data directory (absolute). */
    public Path dataDir() {
        return dataDir;
    }

    /** Wall time that {@link #start} took, from the call to the first answered describeCluster. */
    public Duration startupTime() {
        return startupTime;
    }

    /** True until the broker has shut down, by {@link #close()} or by itself after a fatal fault. */
    public boolean isRunning() {
        return !stopped;
    }

    /** The reason the broker stopped itself, if Kafka reported a fatal fault; otherwise null. */
    public String fatalFault() {
        return fatalFault;
    }

    /**
     * Stops the broker cleanly and releases its ports; returns once it has shut down (a concurrent
     * call waits for the first). Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            try {
                shutdownServer();
            } finally {
                stopped = true;
                dirLock.release();
            }
            log.info("Embedded Kafka on {} stopped", bootstrapServers());
        }
    }

    private void shutdownServer() {
        if (sweeper != null) {
            sweeper.close();
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            KafkaExitGuard.unregister(this);
        }
    }

    /** Called by {@link KafkaExitGuard} when Kafka asked to end the JVM: stop this broker instead. */
    void onFatalFault(String reason) {
        if (fatalFault == null) {
            fatalFault = reason;
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + dataDir + "]";
    }

    // ---------------------------------------------------------------------------------------------

    static Map<String, Object> brokerProperties(Path dir, int brokerPort, int controllerPort,
                                                Map<String, ?> overrides, BrokerSecurity security) {
        String broker = security == null ? BROKER_LISTENER : SECURE_BROKER_LISTENER;
        // the controller listener stays on loopback; secured, it takes SASL/PLAIN (see BrokerSecurity)
        String controllerProtocol = security == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        Map<String, Object> p = new LinkedHashMap<>();
        // one node, broker and controller, static quorum on the controller listener
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", broker + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", broker + "://" + HOST + ":" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", broker);
        p.put("listener.security.protocol.map", broker + ":" + broker + "," + CONTROLLER_LISTENER + ":"
                + controllerProtocol);
        if (security != null) {
            p.putAll(security.brokerProperties(broker, CONTROLLER_LISTENER));
        }
        p.put("log.dirs", dir.toString());
        p.put("metadata.log.dir", dir.toString());
        // single-node replication for the internal topics, and few partitions so they appear fast
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "4");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // look for timed-out transactions every second, not every 10 s: with Topiary's 10 s
        // transaction timeout, readers get past a crashed process's transaction within about 11 s
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.put("auto.create.topics.enable", "false");
        // artifacts travel as 1 MiB chunks plus headers
        p.put("message.max.bytes", String.valueOf(MESSAGE_MAX_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(MESSAGE_MAX_BYTES));
        // Kafka is the system of record: keep data (and committed offsets of idle groups) forever
        p.put("log.retention.ms", "-1");
        p.put("log.retention.bytes", "-1");
        p.put("offsets.retention.minutes", String.valueOf(100L * 365 * 24 * 60)); // 100 years
        overrides.forEach((k, v) -> p.put(k, v == null ? null : v.toString()));
        return p;
    }

    /** Formats {@code dir} when it has no meta.properties; returns the cluster id either way. */
    static String formatIfNeeded(Path dir, KafkaConfig config, BrokerSecurity security) {
        Path meta = dir.resolve(META_PROPERTIES);
        boolean secured = Files.exists(dir.resolve(SECURED_MARKER));
        if (Files.exists(meta)) {
            if (secured && security == null) {
                throw new IllegalStateException("the Kafka data in " + dir + " was made by a secured broker: start it secured"
                        + " (topiary up --secure)");
            }
            if (!secured && security != null) {
                throw new IllegalStateException("the Kafka data in " + dir + " was made without security, so it has no"
                        + " SCRAM users: use a new data directory for a secured broker");
            }
            return readClusterId(meta);
        }
        String clusterId = Uuid.randomUuid().toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(java.util.List.of(dir.toString()))
                    .setHasDynamicQuorum(false)     // static controller.quorum.voters
                    .setWriteBootstrapSnapshot(true) // this node is a controller
                    .setUnstableFeatureVersionsEnabled(false)
                    .setScramArguments(security == null ? java.util.List.of() : security.scramArguments())
                    .run();
            if (security != null) {
                Files.writeString(dir.resolve(SECURED_MARKER), "formatted with SCRAM users for " + security.dir() + "\n");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
        }
        log.info("Formatted Kafka storage in {} (cluster {})", dir, clusterId);
        return clusterId;
    }

    static String readClusterId(Path meta) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta, e);
        }
        String id = p.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(meta + " has no cluster.id");
        }
        return id;
    }

    /** The broker's own admin: the super user when secured (it may write transaction markers). */
    private static Map<String, Object> adminSettings(String bootstrap, BrokerSecurity security) {
        Map<String, Object> conf = new java.util.HashMap<>(security == null ? Map.of() : security.adminSettings());
        conf.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.CLIENT_ID_CONFIG, "topiary-embedded-kafka-admin"));
        return conf;
    }

    private static void awaitReady(String bootstrap, BrokerSecurity security) {
        Map<String, Object> conf = adminSettings(bootstrap, security);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(conf)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                            .nodes().get(10, TimeUnit.SECONDS);
                    if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
                }
                sleep(100);
            }
        }
        throw new IllegalStateException("embedded Kafka on " + bootstrap + " did not answer describeCluster within "
                + READY_TIMEOUT.toSeconds() + " s", last);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("Address already in use") || m.contains("failed to bind"))) {
                return true;
            }
        }
        return false;
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.debug("Ignoring failure while stopping a broker that failed to start", e);
        }
    }

    /** An exclusive lock on {@value #LOCK_FILE} in the data directory, held while a broker runs. */
    static final class DirLock {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;

        private DirLock(Path file, FileChannel channel, FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        static DirLock acquire(Path dir) {
            Path file = dir.resolve(LOCK_FILE);
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw inUse(dir, null);
                }
                return new DirLock(file, channel, lock);
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel);
                throw inUse(dir, e);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new UncheckedIOException("cannot lock Kafka data directory " + dir, e);
            } catch (RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        }

        void release() {
            try {
                lock.release();
            } catch (IOException e) {
                log.debug("Ignoring failure to release {}", file, e);
            } finally {
                closeQuietly(channel);
            }
        }

        private static IllegalStateException inUse(Path dir, Throwable cause) {
            return new IllegalStateException("cannot start Kafka: data directory " + dir
                    + " is in use by another embedded broker (in this or another process)", cause);
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
        }
    }
}
