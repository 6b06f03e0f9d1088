package dev.topiary.registry.http;

import dev.topiary.registry.query.CostMetric;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of one request, checked: a name the endpoint does not know, a parameter
 * given twice or a value of the wrong kind is a 400 naming the parameter, never a silent default.
 */
final class QueryParams {
    private final Map<String, List<String>> given;

    private QueryParams(Map<String, List<String>> given) {
        this.given = given;
    }

    static QueryParams of(Context ctx, Set<String> known) {
        Map<String, List<String>> given = ctx.queryParamMap();
        for (var e : given.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw ApiException.badParameter(e.getKey(), "unknown parameter '" + e.getKey() + "' (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
            if (e.getValue().size() > 1) {
                throw ApiException.badParameter(e.getKey(), "parameter '" + e.getKey() + "' is given "
                        + e.getValue().size() + " times");
            }
        }
        return new QueryParams(given);
    }

    /** The value, or null when absent or empty (an empty filter filters nothing). */
    String text(String name) {
        List<String> values = given.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).trim();
    }

    String required(String name) {
        String value = text(name);
        if (value == null) {
            throw ApiException.badParameter(name, "parameter '" + name + "' is required");
        }
        return value;
    }

    CostMetric cost(String name, CostMetric otherwise) {
        String value = text(name);
        if (value == null) {
            return otherwise;
        }
        return CostMetric.byKey(value).orElseThrow(() -> ApiException.badParameter(name,
                "parameter '" + name + "' must be one of " + CostMetric.keys() + ", not '" + value + "'"));
    }

    double fraction(String name, double otherwise) {
        String value = text(name);
        if (value == null) {
            return otherwise;
        }
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= 0 && d <= 1)) {
            throw ApiException.badParameter(name, "parameter '" + name + "' must be a number from 0 to 1 (0.01 = one point of accuracy), not '" + value + "'");
        }
        return d;
    }
}
