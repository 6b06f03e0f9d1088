package dev.topiary.registry.state;

import dev.topiary.events.Alias;
import dev.topiary.events.DeadLetter;
import dev.topiary.events.Progress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What one registry instance knows, in memory, indexed for its queries: versions by id, by lineage
 * and children by parent; dead letters counted per stage; running jobs; aliases. Kafka Streams'
 * global thread is the only writer (from the global stores, which hold the same entries durably);
 * HTTP threads read concurrently, so every index is a concurrent map and readers see each entry
 * whole. Listeners hear of news, not of what is loaded at start-up.
 */
public final class RegistryState {
    /** Dead letters kept in memory for the page and the API, newest first; the counts cover all of them. */
    public static final int RECENT_DEAD_LETTERS = 500;

    private final Map<String, VersionEntry> versions = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byLineage = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> children = new ConcurrentHashMap<>();
    private final Set<String> deadLetterKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, StageDeadLetters> deadLettersByStage = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<String, DeadLetter> recentDeadLetters = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    private final Map<String, Progress> running = new ConcurrentHashMap<>();
    private final Map<String, Alias> aliases = new ConcurrentHashMap<>();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong versionChanges = new AtomicLong();

    public void addListener(Consumer<Change> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Change> listener) {
        listeners.remove(listener);
    }

    // ---- written by the global stores' feeds

    /** Registers a version; the same id again (seen on a second topic, or redelivered) replaces it quietly. */
    public void putVersion(VersionEntry entry, boolean live) {
        VersionEntry before = versions.put(entry.id(), entry);
        versionChanges.incrementAndGet();
        byLineage.computeIfAbsent(entry.lineage(), k -> ConcurrentHashMap.newKeySet()).add(entry.id());
        for (String parent : entry.version().getParents()) {
            children.computeIfAbsent(parent, k -> ConcurrentHashMap.newKeySet()).add(entry.id());
        }
        if (before == null) {
            running.remove(entry.id()); // a job's id is the id of the version it makes: it is done
            if (live) {
                announce(new Change.NewVersion(entry));
            }
        }
    }

    /** Counts a dead letter once, however often it is delivered. */
    public void putDeadLetter(String key, DeadLetter letter, boolean live) {
        if (!deadLetterKeys.add(key)) {
            return;
        }
        String stage = letter.getStage().isEmpty() ? "(unknown stage)" : letter.getStage();
        deadLettersByStage.merge(stage, new StageDeadLetters(stage, 1, letter), (a, b) -> a.plus(letter));
        recentDeadLetters.put(String.format("%020d|%s", letter.getAt().toEpochMilli(), key), letter);
        while (recentDeadLetters.size() > RECENT_DEAD_LETTERS) {
            recentDeadLetters.pollLastEntry();
        }
        if (live) {
            announce(new Change.NewDeadLetter(letter));
        }
    }

    public void putProgress(String jobId, Progress progress, boolean live) {
        if (versions.containsKey(jobId)) {
            return; // a late heartbeat of a finished job
        }
        running.put(jobId, progress);
        if (live) {
            announce(new Change.JobProgress(jobId, progress));
        }
    }

    public void removeProgress(String jobId) {
        if (running.remove(jobId) != null) {
            announce(new Change.JobProgress(jobId, null));
        }
    }

    public void putAlias(Alias alias, boolean live) {
        aliases.put(alias.getName(), alias);
        versionChanges.incrementAndGet();
        if (live) {
            announce(new Change.AliasChanged(alias.getName(), alias));
        }
    }

    public void removeAlias(String name) {
        if (aliases.remove(name) != null) {
            versionChanges.incrementAndGet();
            announce(new Change.AliasChanged(name, null));
        }
    }

    private void announce(Change change) {
        for (Consumer<Change> l : listeners) {
            l.accept(change);
        }
    }

    // ---- read by the API

    /** Grows whenever a version or an alias is added or replaced: what is derived from them is stale when it moved. */
    public long versionChanges() {
        return versionChanges.get();
    }

    public Optional<VersionEntry> version(String id) {
        return Optional.ofNullable(versions.get(id));
    }

    /** A version by id, or the version an alias names. */
    public Optional<VersionEntry> resolve(String idOrAlias) {
        VersionEntry byId = versions.get(idOrAlias);
        if (byId != null) {
            return Optional.of(byId);
        }
        Alias alias = aliases.get(idOrAlias);
        return alias == null ? Optional.empty() : version(alias.getVersionId());
    }

    public Collection<VersionEntry> versions() {
        return versions.values();
    }

    public int versionCount() {
        return versions.size();
    }

    /** The versions of one lineage, in no particular order; empty for an unknown lineage. */
    public List<VersionEntry> lineage(String lineage) {
        Set<String> ids = byLineage.get(lineage);
        if (ids == null) {
            return List.of();
        }
        List<VersionEntry> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            VersionEntry e = versions.get(id);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    public Set<String> lineageIds() {
        return byLineage.keySet();
    }

    public Set<String> childrenOf(String id) {
        return children.getOrDefault(id, Set.of());
    }

    public List<StageDeadLetters> deadLettersByStage() {
        return new TreeMap<>(deadLettersByStage).values().stream().toList();
    }

    /** The newest dead letters, newest first. */
    public List<DeadLetter> recentDeadLetters() {
        return List.copyOf(recentDeadLetters.values());
    }

    public int deadLetterCount() {
        return deadLetterKeys.size();
    }

    public Collection<Progress> running() {
        return running.values();
    }

    public Map<String, Alias> aliases() {
        return Map.copyOf(aliases);
    }

    /** The names that point at a version, sorted. */
    public List<String> aliasesOf(String versionId) {
        return aliases.values().stream().filter(a -> a.getVersionId().equals(versionId)).map(Alias::getName).sorted().toList();
    }
}
