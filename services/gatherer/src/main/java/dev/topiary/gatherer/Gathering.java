package dev.topiary.gatherer;

import dev.topiary.events.FailedMember;
import dev.topiary.events.GatheringRef;
import dev.topiary.events.MemberOrigin;
import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
import dev.topiary.events.SetState;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.stage.DeadLetterHeaders;
import dev.topiary.runtime.stage.VersionIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gatherer's second step, on records keyed by their set: the rule of {@code gather}.
 * <ul>
 *   <li>A member joins its set once (the same id again is ignored); members and origins stay
 *       sorted by id, so a replay cannot reorder them. A failed matrix job joins its failures.</li>
 *   <li>{@code count} members: the set is emitted, COMPLETE. Members and failures together reach
 *       {@code count}: with at least {@code min} members it is emitted PARTIAL, else REFUSED.</li>
 *   <li>{@code within} after the first arrival (wall-clock time, kept in the set as
 *       {@code expiresAt} so it survives a restart, and checked by a wall-clock punctuation so it
 *       fires on an idle topic): PARTIAL with at least {@code min} members, else REFUSED.</li>
 *   <li>REFUSED: each member goes to the dead-letter topic of the topic it came from, with the
 *       reason. A member arriving for a set already emitted or refused is dead-lettered too.</li>
 * </ul>
 * Sets being gathered live in one changelogged store, closed sets in another (to recognise late
 * members); each arrival and each closing sends a heartbeat to the progress topic.
 */
final class Gathering implements Processor<String, byte[], String, Routed> {
    static final String PENDING = "pending-sets";
    static final String CLOSED = "closed-sets";
    private static final Logger log = LoggerFactory.getLogger(Gathering.class);

    private final GatherSpec spec;
    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, ModelSet> pending;
    private KeyValueStore<String, ModelSet> closed;

    Gathering(GatherSpec spec) {
        this.spec = spec;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.pending = context.getStateStore(PENDING);
        this.closed = context.getStateStore(CLOSED);
        if (spec.gather().within() != null) {
            context.schedule(spec.tick(), PunctuationType.WALL_CLOCK_TIME, this::expire);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        long now = context.currentSystemTimeMs();
        boolean member = GatherHeaders.MEMBER.equals(GatherHeaders.get(record.headers(), GatherHeaders.ARRIVAL));
        ModelSet done = closed.get(key);
        if (member) {
            MemberOrigin origin = origin(record);
            ModelVersion v = Topics.versions(origin.getTopic()).decode(record.value());
            origin.setId(v.getId());
            if (done != null) {
                if (done.getMembers().stream().noneMatch(m -> m.getId().equals(v.getId()))) {
                    deadLetter(v, origin, "set already " + (done.getState() == SetState.REFUSED ? "refused" : "emitted")
                            + " (" + done.getId() + ", " + by() + " " + key + ")");
                }
                return;
            }
            ModelSet set = pendingOrNew(key, now);
            if (set.getMembers().stream().anyMatch(m -> m.getId().equals(v.getId()))) {
                return; // arrived twice: counts once
            }
            List<Member> members = members(set);
            members.add(new Member(v, origin));
            members.sort(Comparator.comparing(m -> m.version().getId()));
            set.setMembers(members.stream().map(Member::version).toList());
            set.setOrigins(members.stream().map(Member::origin).toList());
            set.setArrived(members.size());
            decide(set, now);
        } else {
            if (done != null) {
                return;
            }
            String id = GatherHeaders.get(record.headers(), GatherHeaders.FAILED_ID);
            ModelSet set = pendingOrNew(key, now);
            if (set.getFailures().stream().anyMatch(f -> f.getId().equals(id))) {
                return;
            }
            List<FailedMember> failures = new ArrayList<>(set.getFailures());
            failures.add(new FailedMember(id, GatherHeaders.get(record.headers(), GatherHeaders.FAILED_REASON)));
            failures.sort(Comparator.comparing(FailedMember::getId));
            set.setFailures(failures);
            set.setFailed(failures.size());
            decide(set, now);
        }
    }

    private void decide(ModelSet set, long now) {
        int arrived = set.getArrived();
        int count = spec.gather().count();
        if (arrived >= count) {
            close(set, SetState.COMPLETE, null, now);
        } else if (arrived + set.getFailed() >= count) {
            String why = set.getFailed() + " of " + count + " matrix jobs failed, " + arrived + " arrived";
            if (arrived >= spec.gather().min()) {
                close(set, SetState.PARTIAL, why, now);
            } else {
                refuse(set, why + ", fewer than min " + spec.gather().min(), now);
            }
        } else {
            pending.put(set.getKey(), set);
            heartbeat(set, ProgressState.RUNNING, now);
        }
    }

    /** Every set whose {@code within} has passed: emitted partial with at least {@code min} members, refused with fewer. */
    private void expire(long now) {
        List<ModelSet> due = new ArrayList<>();
        try (KeyValueIterator<String, ModelSet> all = pending.all()) {
            while (all.hasNext()) {
                KeyValue<String, ModelSet> kv = all.next();
                Instant expires = kv.value.getExpiresAt();
                if (expires != null && expires.toEpochMilli() <= now) {
                    due.add(kv.value);
                }
            }
        }
        for (ModelSet set : due) {
            String why = "within " + spec.gather().within().toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                    + " passed with " + set.getArrived() + " of " + spec.gather().count()
                    + (set.getFailed() > 0 ? " (" + set.getFailed() + " failed)" : "");
            if (set.getArrived() >= spec.gather().min()) {
                close(set, SetState.PARTIAL, why, now);
            } else {
                refuse(set, why + ", fewer than min " + spec.gather().min(), now);
            }
        }
    }

    private void close(ModelSet set, SetState state, String reason, long now) {
        set.setState(state);
        set.setReason(reason);
        set.setClosedAt(Instant.ofEpochMilli(now));
        set.setId(VersionIds.deriveSet(spec.pipeline(), spec.stage(), set.getMembers().stream().map(ModelVersion::getId).toList()));
        context.forward(new Record<>(set.getId(), new Routed(spec.gatheredTopic(), Topics.modelSets(spec.gatheredTopic()).encode(set)),
                now));
        finish(set, ProgressState.DONE, now);
        log.info("[{}] emitted {} set {} of {} ({} {}){}", spec.label(), state.name().toLowerCase(java.util.Locale.ROOT),
                set.getId(), set.getArrived(), by(), set.getKey(), reason == null ? "" : ": " + reason);
    }

    private void refuse(ModelSet set, String reason, long now) {
        set.setState(SetState.REFUSED);
        set.setReason(reason);
        set.setClosedAt(Instant.ofEpochMilli(now));
        set.setId(VersionIds.deriveSet(spec.pipeline(), spec.stage(), set.getMembers().stream().map(ModelVersion::getId).toList()));
        for (Member m : members(set)) {
            deadLetter(m.version(), m.origin(), "gather " + spec.label() + ": " + reason);
        }
        finish(set, ProgressState.FAILED, now);
        log.info("[{}] refused set of {} ({} {}): {}", spec.label(), set.getArrived(), by(), set.getKey(), reason);
    }

    private void finish(ModelSet set, ProgressState state, long now) {
        closed.put(set.getKey(), set);
        pending.delete(set.getKey());
        heartbeat(set, state, now);
    }

    private void deadLetter(ModelVersion v, MemberOrigin origin, String reason) {
        RecordHeaders h = GatherHeaders.deadLetter(spec.label(), reason, origin.getTopic(), origin.getPartition(), origin.getOffset());
        context.forward(new Record<>(origin.getKey(), new Routed(Topics.deadLetterOf(origin.getTopic()),
                Topics.versions(origin.getTopic()).encode(v)), context.currentSystemTimeMs(), h));
    }

    private void heartbeat(ModelSet set, ProgressState state, long now) {
        String job = spec.label() + " " + by() + " " + set.getKey();
        GatheringRef ref = new GatheringRef(by(), set.getKey(), set.getArrived(), set.getFailed(), spec.gather().count());
        Progress p = new Progress(job, set.getKey(), spec.pipeline(), spec.stage(), state, 0, 0, 0, 0, null, null,
                set.getReason(), Instant.ofEpochMilli(now), null, ref);
        context.forward(new Record<>(job, new Routed(Topics.PROGRESS.name(), Topics.PROGRESS.encode(p)), now));
    }

    private ModelSet pendingOrNew(String key, long now) {
        ModelSet set = pending.get(key);
        if (set != null) {
            return set;
        }
        Duration within = spec.gather().within();
        return ModelSet.newBuilder()
                .setId("")
                .setPipeline(spec.pipeline())
                .setStage(spec.stage())
                .setBy(by())
                .setKey(key)
                .setState(SetState.GATHERING)
                .setMembers(List.of())
                .setOrigins(List.of())
                .setFailures(List.of())
                .setExpected(spec.gather().count())
                .setArrived(0)
                .setFailed(0)
                .setMin(spec.gather().min())
                .setFirstArrivedAt(Instant.ofEpochMilli(now))
                .setExpiresAt(within == null ? null : Instant.ofEpochMilli(now + within.toMillis()))
                .build();
    }

    private String by() {
        return spec.gather().by().toString();
    }

    private static MemberOrigin origin(Record<String, byte[]> record) {
        var h = record.headers();
        return new MemberOrigin("", GatherHeaders.get(h, DeadLetterHeaders.SOURCE_TOPIC),
                Integer.parseInt(GatherHeaders.get(h, DeadLetterHeaders.SOURCE_PARTITION)),
                Long.parseLong(GatherHeaders.get(h, DeadLetterHeaders.SOURCE_OFFSET)), GatherHeaders.get(h, GatherHeaders.SOURCE_KEY));
    }

    private static List<Member> members(ModelSet set) {
        List<Member> list = new ArrayList<>();
        for (int i = 0; i < set.getMembers().size(); i++) {
            list.add(new Member(set.getMembers().get(i), set.getOrigins().get(i)));
        }
        return list;
    }

    private record Member(ModelVersion version, MemberOrigin origin) {}
}
