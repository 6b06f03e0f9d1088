package dev.topiary.nn.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Reads a model's {@code configuration.json} as a plain JSON tree (which instantiates nothing) to
 * tell a MultiLayerNetwork from a ComputationGraph, and to refuse any {@code @class} outside DL4J
 * and ND4J before DL4J's polymorphic JSON reader would instantiate it: that reader takes class
 * names from the file, and the models Topiary handles never name other classes.
 */
final class ConfigurationCheck {

    private static final String[] ALLOWED_CLASS_PREFIXES = {"org.deeplearning4j.", "org.nd4j."};
    // DL4J configurations nest about ten deep and are at most a few MB; these stop a stack overflow
    // in the JSON reader and a parse of gigabytes before either happens.
    static final int MAX_NESTING = 64;
    static final int MAX_JSON_BYTES = 64 << 20;
    private static final ObjectMapper TREE_READER = new ObjectMapper();

    private ConfigurationCheck() {}

    static ModelFormat formatOf(byte[] json) {
        if (json.length > MAX_JSON_BYTES) {
            throw new UnsafeModelException("Model zip entry 'configuration.json' is " + json.length
                    + " bytes (at most " + MAX_JSON_BYTES + ")");
        }
        checkNesting(json);
        JsonNode root;
        try {
            root = TREE_READER.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("Model zip entry 'configuration.json' is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelLoadException("Model zip entry 'configuration.json' is not a JSON object");
        }
        checkClasses(root, "$");
        if (root.has("vertices") && root.has("networkInputs")) {
            return ModelFormat.COMPUTATION_GRAPH;
        }
        if (root.has("confs")) {
            return ModelFormat.MULTI_LAYER_NETWORK;
        }
        throw new ModelLoadException("Model zip entry 'configuration.json' is neither a MultiLayerNetwork "
                + "configuration (no 'confs') nor a ComputationGraph configuration (no 'vertices'/'networkInputs')");
    }

    /** Counts bracket depth outside strings, without parsing, so the parser never recurses too far. */
    private static void checkNesting(byte[] json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > MAX_NESTING) {
                    throw new UnsafeModelException("Model zip entry 'configuration.json' nests deeper than "
                            + MAX_NESTING + " levels");
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
    }

    private static void checkClasses(JsonNode node, String path) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String childPath = path + "." + field.getKey();
                if (field.getKey().equals("@class")) {
                    String name = field.getValue().asText();
                    if (!allowed(name)) {
                        throw new UnsafeModelException("Model zip entry 'configuration.json' names class " + name
                                + " at " + childPath + ": only org.deeplearning4j.* and org.nd4j.* classes are allowed");
                    }
                }
                checkClasses(field.getValue(), childPath);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkClasses(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static boolean allowed(String className) {
        for (String prefix : ALLOWED_CLASS_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
