package dev.topiary.runtime.events;

import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import java.util.List;
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

    static {
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

    private Events() {}
}
