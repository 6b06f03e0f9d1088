package dev.topiary.runtime.service;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default instance id of a process: {@code HOST-N}, for the lowest slot N on this host that no
 * live process holds. A slot is an OS file lock, released when its process dies however it dies,
 * so a process restarted after a crash takes its predecessor's slot, hence its transactional ids,
 * and fences the open transaction the crash left at once; two processes alive at the same time
 * never share a slot, so they never fence each other. The host name keeps slots of different
 * machines (or containers) apart.
 *
 * <p>One id per process: two hosts in one JVM running the same stage must be given ids of their own.
 */
public final class InstanceSlot {
    private static final Logger log = LoggerFactory.getLogger(InstanceSlot.class);
    private static final int MAX_SLOTS = 256;
    private static String id;
    @SuppressWarnings("unused") // held, not read: closing it would free the slot
    private static FileLock lock;

    private InstanceSlot() {}

    public static synchronized String defaultId() {
        if (id == null) {
            id = acquire(Path.of(System.getProperty("java.io.tmpdir"), "topiary-" + System.getProperty("user.name"),
                    "instance-slots"));
        }
        return id;
    }

    private static String acquire(Path dir) {
        String host = hostName();
        try {
            Files.createDirectories(dir);
            for (int slot = 0; slot < MAX_SLOTS; slot++) {
                FileChannel channel = FileChannel.open(dir.resolve(host + "-" + slot + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    FileLock l = channel.tryLock();
                    if (l != null) {
                        lock = l;
                        return host + "-" + slot;
                    }
                } catch (OverlappingFileLockException heldByThisProcess) {
                    // cannot happen with one id per process; skip the slot all the same
                }
                channel.close();
            }
        } catch (IOException e) {
            log.warn("cannot take an instance slot under {} ({}); using a random instance id, so a restart after a"
                    + " crash waits for the broker to abort the crashed process's transaction", dir, e.getMessage());
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "host";
            }
        }
        // transactional ids and file names: keep to letters, digits, dots and dashes
        return name.replaceAll("[^A-Za-z0-9.-]", "-");
    }
}
