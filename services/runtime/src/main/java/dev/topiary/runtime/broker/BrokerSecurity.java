package dev.topiary.runtime.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The secrets of a secured embedded broker ({@code topiary up --secure}), kept in one directory:
 * a local certificate authority, the broker's TLS key and certificate (for {@code 127.0.0.1} and
 * {@code localhost}) signed by it, a truststore holding the CA, and passwords for three principals:
 *
 * <ul>
 *   <li>{@value #USER}: the one user, SCRAM-SHA-512; what {@link #clientProperties()} logs in as.
 *       ACLs (not super-user rights) let it use topics, groups and transactions.</li>
 *   <li>{@value #ADMIN}: SCRAM-SHA-512 super user, for the broker's own connection to itself and for
 *       managing users and ACLs.</li>
 *   <li>{@value #CONTROLLER}: SASL/PLAIN on the loopback-only controller listener. SCRAM credentials
 *       live in the metadata log, which the controller listener must work without.</li>
 * </ul>
 *
 * <p>Everything is made once, on first use, with the JDK's {@code keytool} (no other tool needed),
 * and reused afterwards, since the SCRAM credentials are written when the log directory is
 * formatted. Files holding secrets are readable by their owner only.
 */
public final class BrokerSecurity {
    public static final String USER = "topiary";
    public static final String ADMIN = "admin";
    public static final String CONTROLLER = "controller";
    public static final String MECHANISM = "SCRAM-SHA-512";
    static final String SECRETS = "secrets.properties";
    static final String CLIENT_PROPERTIES = "client.properties";

    private final Path dir;
    private final Map<String, String> secrets;

    private BrokerSecurity(Path dir, Map<String, String> secrets) {
        this.dir = dir;
        this.secrets = Map.copyOf(secrets);
    }

    /** Loads the secrets in {@code dir}, making them (and {@code client.properties}) if it has none. */
    public static BrokerSecurity prepare(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path file = abs.resolve(SECRETS);
        if (Files.exists(file)) {
            return new BrokerSecurity(abs, read(file));
        }
        try {
            Files.createDirectories(abs);
            Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + abs, e);
        }
        Map<String, String> made = new LinkedHashMap<>();
        for (String name : List.of("store", USER, ADMIN, CONTROLLER)) {
            made.put(name, randomSecret());
        }
        BrokerSecurity security = new BrokerSecurity(abs, made);
        security.makeCertificates();
        security.writeClientProperties();
        // written last: its presence means everything else is complete
        write(file, made, "passwords of the secured embedded broker; keep private");
        return security;
    }

    /** Whether {@code dir} holds the secrets of a secured broker. */
    public static boolean existsIn(Path dir) {
        return Files.exists(dir.resolve(SECRETS));
    }

    public Path dir() {
        return dir;
    }

    /** Client settings for {@value #USER} over SASL_SSL: what {@code --kafka-config} takes. */
    public Path clientProperties() {
        return dir.resolve(CLIENT_PROPERTIES);
    }

    /** Client settings for logging in as {@code user} with {@code password} over SASL_SSL. */
    public Map<String, Object> clientSettings(String user, String password) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("security.protocol", "SASL_SSL");
        m.put("sasl.mechanism", MECHANISM);
        m.put("sasl.jaas.config", scramLogin(user, password));
        m.put("ssl.truststore.location", dir.resolve("truststore.p12").toString());
        m.put("ssl.truststore.type", "PKCS12");
        m.put("ssl.truststore.password", secrets.get("store"));
        return m;
    }

    /** Client settings of the super user, for managing users and ACLs. */
    public Map<String, Object> adminSettings() {
        return clientSettings(ADMIN, secrets.get(ADMIN));
    }

    String password(String principal) {
        return secrets.get(principal);
    }

    /** The formatter's {@code --add-scram} arguments: the SCRAM users exist from the first start. */
    List<String> scramArguments() {
        List<String> out = new ArrayList<>();
        for (String user : List.of(ADMIN, USER)) {
            out.add(MECHANISM + "=[name=" + user + ",password=" + secrets.get(user) + "]");
        }
        return out;
    }

    /** Broker settings: SASL_SSL for clients, SASL/PLAIN for the controller listener, ACLs enforced. */
    Map<String, Object> brokerProperties(String brokerListener, String controllerListener) {
        String b = brokerListener.toLowerCase();
        String c = controllerListener.toLowerCase();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name." + b + "." + MECHANISM.toLowerCase() + ".sasl.jaas.config", scramLogin(ADMIN, secrets.get(ADMIN)));
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name." + c + ".sasl.enabled.mechanisms", "PLAIN");
        // both sides of the controller channel: it logs in as, and accepts, the controller principal
        p.put("listener.name." + c + ".plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + CONTROLLER
                        + "\" password=\"" + secrets.get(CONTROLLER) + "\" user_" + CONTROLLER + "=\""
                        + secrets.get(CONTROLLER) + "\";");
        p.put("ssl.keystore.location", dir.resolve("broker.p12").toString());
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.password", secrets.get("store"));
        p.put("ssl.key.password", secrets.get("store"));
        p.put("ssl.truststore.location", dir.resolve("truststore.p12").toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", secrets.get("store"));
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + ADMIN + ";User:" + CONTROLLER);
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    private static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    // ---------------------------------------------------------------------------------------------

    private void makeCertificates() {
        String pass = secrets.get("store");
        String validity = "3650";
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Topiary local CA", "-ext", "bc:c=ca:true", "-ext", "KeyUsage=keyCertSign,cRLSign",
                "-validity", validity, "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", pass);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-storepass", pass, "-file", "ca.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", validity, "-keystore", "broker.p12", "-storetype", "PKCS12", "-storepass", pass);
        keytool("-certreq", "-alias", "broker", "-keystore", "broker.p12", "-storepass", pass, "-file", "broker.csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", pass, "-infile", "broker.csr",
                "-outfile", "broker.pem", "-rfc", "-validity", validity, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-ext", "KeyUsage=digitalSignature", "-ext", "ExtendedKeyUsage=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "broker.p12", "-storepass", pass);
        keytool("-importcert", "-alias", "broker", "-file", "broker.pem", "-keystore", "broker.p12", "-storepass", pass);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12",
                "-storetype", "PKCS12", "-storepass", pass);
        try {
            Files.deleteIfExists(dir.resolve("broker.csr"));
            Files.deleteIfExists(dir.resolve("broker.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDK's keytool, in {@link #dir}; a failure carries what it printed. */
    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed in " + dir + ": "
                        + new String(out, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool (" + command.get(0) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making certificates in " + dir, e);
        }
    }

    private void writeClientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        clientSettings(USER, secrets.get(USER)).forEach((k, v) -> p.put(k, v.toString()));
        write(clientProperties(), p, "Kafka client settings for the secured embedded broker: topiary --kafka-config "
                + clientProperties());
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.forEach((k, v) -> out.put(k.toString(), v.toString()));
        return out;
    }

    private static void write(Path file, Map<String, String> values, String comment) {
        Properties p = new Properties();
        p.putAll(values);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, comment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
