package dev.topiary.runtime.events;

import dev.topiary.events.Alias;
import dev.topiary.events.DeadLetter;
import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.events.RegisteredVersion;
import java.util.List;
import org.apache.avro.SystemLimitException;
import org.apache.avro.util.ClassSecurityValidator;

/** The codecs of Topiary's public events, each aware of its released schema versions. */
public final class Events {
    /** Released versions of ModelVersion; append a file here whenever a new one is released. */
    public static final List<String> MODEL_VERSION_HISTORY = List.of("avro/history/ModelVersion-v1.avsc",
            "avro/history/ModelVersion-v2.avsc");
    public static final List<String> PROGRESS_HISTORY = List.of("avro/history/Progress-v1.avsc",
            "avro/history/Progress-v2.avsc");
    /**
     * Released versions of ModelSet. Each embeds the ModelVersion of its release, so a new
     * ModelVersion means a new ModelSet version here too.
     */
    public static final List<String> MODEL_SET_HISTORY = List.of("avro/history/ModelSet-v1.avsc");
    public static final List<String> ALIAS_HISTORY = List.of("avro/history/Alias-v1.avsc");
    public static final List<String> REGISTERED_VERSION_HISTORY = List.of("avro/history/RegisteredVersion-v1.avsc");
    public static final List<String> DEAD_LETTER_HISTORY = List.of("avro/history/DeadLetter-v1.avsc");

    /**
     * Most bytes, characters or items one string, bytes field, array or map of an event may declare.
     * Avro allocates what a length says before reading the values, so one forged length made every
     * decode allocate 2 GB (found by HostileEventFuzzTest); no Kafka record here is over 2 MiB.
     */
    public static final int MAX_DECLARED_LENGTH = 8 << 20;

    static {
        // Avro's own limits are JVM-wide system properties, read once when Avro first checks one:
        // set them here, before any event is decoded, unless the user chose their own
        for (String limit : List.of(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY,
                SystemLimitException.MAX_STRING_LENGTH_PROPERTY, SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY)) {
            if (System.getProperty(limit) == null) {
                System.setProperty(limit, String.valueOf(MAX_DECLARED_LENGTH));
            }
        }
        // Avro 1.12 loads only trusted classes while decoding specific records; ours are generated from our own schemas.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                c -> c.getName().startsWith("dev.topiary.events.")));
    }

    public static final AvroEventCodec<ModelVersion> MODEL_VERSION =
            new AvroEventCodec<>(ModelVersion.getClassSchema(), MODEL_VERSION_HISTORY);
    public static final AvroEventCodec<Progress> PROGRESS =
            new AvroEventCodec<>(Progress.getClassSchema(), PROGRESS_HISTORY);
    public static final AvroEventCodec<ModelSet> MODEL_SET =
            new AvroEventCodec<>(ModelSet.getClassSchema(), MODEL_SET_HISTORY);
    /** Names for versions ({@code topiary promote}), on the compacted {@code topiary.aliases} topic. */
    public static final AvroEventCodec<Alias> ALIAS = new AvroEventCodec<>(Alias.getClassSchema(), ALIAS_HISTORY);
    /** The registry's own record of a version it found. */
    public static final AvroEventCodec<RegisteredVersion> REGISTERED_VERSION =
            new AvroEventCodec<>(RegisteredVersion.getClassSchema(), REGISTERED_VERSION_HISTORY);
    /** The registry's own record of a dead letter it found. */
    public static final AvroEventCodec<DeadLetter> DEAD_LETTER =
            new AvroEventCodec<>(DeadLetter.getClassSchema(), DEAD_LETTER_HISTORY);

    private Events() {}
}
