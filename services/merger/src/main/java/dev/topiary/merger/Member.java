package dev.topiary.merger;

import dev.topiary.events.ModelVersion;
import java.util.List;

/** What a merge needs to know of a member besides its network: its id and its parents' ids. */
public record Member(String id, List<String> parents) {
    public Member {
        parents = List.copyOf(parents);
    }

    public static Member of(ModelVersion v) {
        return new Member(v.getId(), v.getParents());
    }
}
