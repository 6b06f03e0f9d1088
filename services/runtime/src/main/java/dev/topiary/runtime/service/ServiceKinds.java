package dev.topiary.runtime.service;

import dev.topiary.runtime.stage.ServiceKind;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The service kinds on the classpath, by the name pipelines use in {@code uses:}. */
public final class ServiceKinds {
    private ServiceKinds() {}

    public static Map<String, ServiceKind> available() {
        Map<String, ServiceKind> kinds = new TreeMap<>();
        for (ServiceKind kind : ServiceLoader.load(ServiceKind.class)) {
            kinds.put(kind.name(), kind);
        }
        return kinds;
    }
}
