package dev.topiary.runtime.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.MatrixJobRef;
import dev.topiary.runtime.pipeline.Matrix;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One combination of a stage's matrix applied to one input: a record on the stage's jobs topic
 * carries the input record's bytes unchanged and this in its headers. The combination travels as
 * canonical JSON and is always read back from it, so the expansion and the job derive the output
 * id from the very same values.
 *
 * <p>The output's identity ({@link #identity}) is the stage's {@code with} overridden by the
 * combination, plus the combination itself under {@code matrix}: the derived id and
 * {@code operation.params} both come from it, so each job's version has its own id and says which
 * combination made it.
 *
 * @param index           0-based position of the combination in the matrix
 * @param size            how many combinations the matrix has
 * @param combinationJson the combination's values, canonical JSON
 */
public record MatrixJob(int index, int size, String combinationJson) {
    public static final String INDEX_HEADER = "topiary.matrix.index";
    public static final String SIZE_HEADER = "topiary.matrix.size";
    public static final String COMBINATION_HEADER = "topiary.matrix.combination";
    /** The key of {@code operation.params} that holds the combination. */
    public static final String PARAM = "matrix";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static MatrixJob of(int index, int size, Map<String, Object> combination) {
        return new MatrixJob(index, size, VersionIds.canonicalJson(combination));
    }

    /** The job a jobs-topic record carries; throws naming the header that is missing or wrong. */
    public static MatrixJob from(Headers headers) {
        try {
            return new MatrixJob(Integer.parseInt(text(headers, INDEX_HEADER)), Integer.parseInt(text(headers, SIZE_HEADER)),
                    text(headers, COMBINATION_HEADER));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a matrix job record has a header that is not a number: " + e.getMessage(), e);
        }
    }

    /** Whether a record's headers name a matrix job. */
    public static boolean isJob(Headers headers) {
        return headers.lastHeader(COMBINATION_HEADER) != null;
    }

    /** The combination's values. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> combination() {
        try {
            return Collections.unmodifiableMap(JSON.readValue(combinationJson, LinkedHashMap.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("matrix combination is not JSON: " + combinationJson, e);
        }
    }

    /** The parameters the job runs with: {@code with} overridden by the combination. */
    public Map<String, Object> params(Map<String, Object> with) {
        return Matrix.paramsFor(with, combination());
    }

    /** What the output's id and {@code operation.params} derive from: {@link #params} and the combination. */
    public Map<String, Object> identity(Map<String, Object> with) {
        Map<String, Object> identity = new LinkedHashMap<>(params(with));
        identity.put(PARAM, combination());
        return identity;
    }

    public Headers headers() {
        Headers h = new RecordHeaders();
        h.add(INDEX_HEADER, String.valueOf(index).getBytes(StandardCharsets.UTF_8));
        h.add(SIZE_HEADER, String.valueOf(size).getBytes(StandardCharsets.UTF_8));
        h.add(COMBINATION_HEADER, combinationJson.getBytes(StandardCharsets.UTF_8));
        return h;
    }

    /** As progress heartbeats carry it. */
    public MatrixJobRef ref() {
        return new MatrixJobRef(index, size, combinationJson);
    }

    private static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null) {
            throw new IllegalArgumentException("a record on a matrix jobs topic has no " + name + " header");
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
