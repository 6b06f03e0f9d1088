package dev.topiary.surgery.layers;

import dev.topiary.surgery.UnsupportedModelException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Convolution2D;

/**
 * The layer and vertex types surgery handles, each with its {@link LayerRules}, looked up by the
 * exact configuration class. A type not registered is refused by name, with the operation that
 * refused it and the list of supported types: never a silently wrong model.
 *
 * <p>Built in: DenseLayer, OutputLayer, ConvolutionLayer (and Convolution2D), SubsamplingLayer,
 * BatchNormalization, DropoutLayer, ActivationLayer, GlobalPoolingLayer, ElementWiseVertex,
 * MergeVertex.
 *
 * <p><b>Registering a custom type.</b> Implement {@link LayerRules} for it, then either
 * <ul>
 *   <li>add it for one use: {@code LayerRegistry.standard().with(new MyLayerRules())}, and pass that
 *       registry to {@code NetworkView.of(network, registry, operation)}; or
 *   <li>add it for every service in the process: list the class (public, with a no-argument
 *       constructor) in {@code META-INF/services/dev.topiary.surgery.layers.LayerRules} of a jar on
 *       the classpath; {@link #standard()} loads it with {@link ServiceLoader}, as service kinds are.
 * </ul>
 * A registered class replaces the built-in rules for the same configuration class.
 *
 * <pre>{@code
 * LayerRegistry registry = LayerRegistry.standard().with(new PReLURules());
 * NetworkView view = NetworkView.of(Network.of(model), registry, "prune");
 * }</pre>
 */
public final class LayerRegistry {
    private static final LayerRegistry STANDARD = builtIn().withAll(ServiceLoader.load(LayerRules.class));

    private final Map<Class<?>, LayerRules> rules;

    private LayerRegistry(Map<Class<?>, LayerRules> rules) {
        this.rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules)); // registration order, for messages
    }

    /** The built-in types only, ignoring any registered through {@link ServiceLoader}. */
    public static LayerRegistry builtIn() {
        Map<Class<?>, LayerRules> m = new LinkedHashMap<>();
        for (LayerRules r : new LayerRules[] {new DenseRules(), new OutputLayerRules(), new ConvolutionRules(),
                new ConvolutionRules(Convolution2D.class), new SubsamplingRules(), new BatchNormalizationRules(),
                new DropoutRules(), new ActivationRules(), new GlobalPoolingRules(), new ElementWiseRules(),
                new MergeRules()}) {
            m.put(r.handles(), r);
        }
        return new LayerRegistry(m);
    }

    /** The built-in types plus every {@link LayerRules} listed under {@code META-INF/services}. */
    public static LayerRegistry standard() {
        return STANDARD;
    }

    /** A registry with {@code extra} added (replacing any rules for the same class); this one is unchanged. */
    public LayerRegistry with(LayerRules extra) {
        return withAll(java.util.List.of(extra));
    }

    private LayerRegistry withAll(Iterable<LayerRules> extra) {
        Map<Class<?>, LayerRules> m = new LinkedHashMap<>(rules);
        for (LayerRules r : extra) {
            m.put(r.handles(), r);
        }
        return new LayerRegistry(m);
    }

    /** The rules for {@code config}'s exact class, if registered. */
    public Optional<LayerRules> find(Object config) {
        return Optional.ofNullable(rules.get(config.getClass()));
    }

    /**
     * The rules for {@code config}, after checking its settings.
     *
     * @throws UnsupportedModelException naming {@code operation}, {@code node} and the type when it is
     *     not registered or its rules refuse this instance
     */
    public LayerRules rulesFor(Object config, String node, String operation) {
        LayerRules r = rules.get(config.getClass());
        if (r == null) {
            String what = config instanceof GraphVertex ? "vertex" : "layer";
            throw new UnsupportedModelException(operation + ": " + what + " '" + node + "' of type "
                    + config.getClass().getSimpleName() + " is not supported (supported: " + supported() + ")");
        }
        r.check(config, node, operation);
        return r;
    }

    /** The registered type names, in registration order. */
    public String supported() {
        return rules.keySet().stream().map(Class::getSimpleName).collect(Collectors.joining(", "));
    }
}
