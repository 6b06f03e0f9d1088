package dev.topiary.surgery.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An editable copy of a network's structure: every layer and vertex with its configuration (a deep
 * copy the blueprint owns), input preprocessor and inputs, in topological order, plus the network
 * input and output. Index maps resize entries in place; edits add, remove and rewire them;
 * {@link #build} then makes a fresh, initialised network of the same kind and fills its parameters
 * (a MultiLayerNetwork's blueprint must then stay a chain, each entry reading the one before), and
 * {@link #buildGraph} makes a ComputationGraph of it whatever the original's kind.
 *
 * <p>Every entry built from the original network remembers its {@code source} node, so building
 * copies that node's parameters by default; a new entry carries explicit parameters or keeps
 * DL4J's initialisation.
 */
public final class Blueprint {

    /** One layer or vertex of the blueprint. */
    public static final class Entry {
        private final String name;
        private final Object config;
        private final NeuralNetConfiguration layerConf;
        private InputPreProcessor preProcessor;
        private List<String> inputs;
        private final String source;
        private Map<String, INDArray> params;

        Entry(String name, Object config, NeuralNetConfiguration layerConf, InputPreProcessor preProcessor,
                List<String> inputs, String source) {
            this.name = name;
            this.config = config;
            this.layerConf = layerConf;
            this.preProcessor = preProcessor;
            this.inputs = new ArrayList<>(inputs);
            this.source = source;
        }

        public String name() {
            return name;
        }

        /** The layer configuration ({@code org.deeplearning4j.nn.conf.layers.Layer}) or the graph vertex. */
        public Object config() {
            return config;
        }

        /** The layer configuration, or null for a vertex that is not a layer. */
        public Layer layer() {
            return config instanceof Layer l ? l : null;
        }

        public InputPreProcessor preProcessor() {
            return preProcessor;
        }

        public void setPreProcessor(InputPreProcessor pre) {
            this.preProcessor = pre;
        }

        public List<String> inputs() {
            return List.copyOf(inputs);
        }

        public void setInputs(List<String> inputs) {
            this.inputs = new ArrayList<>(inputs);
        }

        /** The node of the original network whose parameters this entry starts from, or null for a new one. */
        public String source() {
            return source;
        }

        /** Explicit parameters for the built layer (by parameter name), or null. */
        public Map<String, INDArray> params() {
            return params;
        }

        public void setParams(Map<String, INDArray> params) {
            this.params = params == null ? null : new LinkedHashMap<>(params);
        }
    }

    /** How the built network's parameters are filled, entry by entry. */
    @FunctionalInterface
    public interface ParamFill {
        /**
         * @param from the source node's live parameters in the original network, or null for a new entry
         * @param to the built layer's own parameter arrays, to be assigned in place
         */
        void fill(Entry entry, Map<String, INDArray> from, Map<String, INDArray> to);

        /** Explicit parameters where given, else the source's when shapes agree (a mismatch is an error), else DL4J's init. */
        ParamFill COPY = (entry, from, to) -> {
            Map<String, INDArray> given = entry.params() != null ? entry.params() : from;
            if (given == null) {
                return;
            }
            for (Map.Entry<String, INDArray> e : to.entrySet()) {
                INDArray p = given.get(e.getKey());
                if (p == null) {
                    throw new IllegalArgumentException("layer '" + entry.name() + "': no value for parameter '" + e.getKey() + "'");
                }
                assignChecked(entry.name(), e.getKey(), e.getValue(), p);
            }
        };
    }

    private final Network origin;
    private final String input;
    private final List<Entry> entries;
    private String output;

    private Blueprint(Network origin, String input, List<Entry> entries, String output) {
        this.origin = origin;
        this.input = input;
        this.entries = entries;
        this.output = output;
    }

    static Blueprint of(MultiLayerAdapter net) {
        MultiLayerConfiguration conf = net.net().getLayerWiseConfigurations().clone();
        List<Entry> entries = new ArrayList<>();
        String previous = net.inputName();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            NeuralNetConfiguration c = conf.getConf(i);
            String name = net.names().get(i);
            c.getLayer().setLayerName(name);
            entries.add(new Entry(name, c.getLayer(), c, conf.getInputPreProcess(i), List.of(previous), name));
            previous = name;
        }
        return new Blueprint(net, net.inputName(), entries, previous);
    }

    static Blueprint of(GraphAdapter net) {
        ComputationGraphConfiguration conf = net.graph().getConfiguration().clone();
        Map<String, Entry> unordered = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            String name = e.getKey();
            List<String> inputs = conf.getVertexInputs().getOrDefault(name, List.of());
            if (e.getValue() instanceof LayerVertex lv) {
                unordered.put(name, new Entry(name, lv.getLayerConf().getLayer(), lv.getLayerConf(), lv.getPreProcessor(),
                        inputs, name));
            } else {
                unordered.put(name, new Entry(name, e.getValue(), null, null, inputs, name));
            }
        }
        String in = conf.getNetworkInputs().get(0);
        return new Blueprint(net, in, topological(in, unordered), conf.getNetworkOutputs().get(0));
    }

    /** Kahn's algorithm, stable in configuration order so the result does not vary between runs. */
    private static List<Entry> topological(String input, Map<String, Entry> unordered) {
        Map<String, Integer> pending = new LinkedHashMap<>();
        unordered.values().forEach(n -> pending.put(n.name, (int) n.inputs.stream().filter(i -> !i.equals(input)).count()));
        List<Entry> ordered = new ArrayList<>();
        Deque<String> ready = new ArrayDeque<>();
        pending.forEach((n, k) -> {
            if (k == 0) {
                ready.add(n);
            }
        });
        while (!ready.isEmpty()) {
            String n = ready.poll();
            ordered.add(unordered.get(n));
            for (Entry m : unordered.values()) {
                if (m.inputs.contains(n)
                        && pending.merge(m.name, -(int) m.inputs.stream().filter(n::equals).count(), Integer::sum) == 0) {
                    ready.add(m.name);
                }
            }
        }
        if (ordered.size() != unordered.size()) {
            throw new IllegalStateException("graph has a cycle or an input that is not defined");
        }
        return ordered;
    }

    /** The network this blueprint was taken from. */
    public Network origin() {
        return origin;
    }

    /** The name of the network input. */
    public String input() {
        return input;
    }

    /** The name of the node whose output is the network's output. */
    public String output() {
        return output;
    }

    /** Entries in topological order (a live list: edits go through the methods below). */
    public List<Entry> entries() {
        return java.util.Collections.unmodifiableList(entries);
    }

    public boolean has(String name) {
        return name.equals(input) || entries.stream().anyMatch(e -> e.name.equals(name));
    }

    public Entry entry(String name) {
        return entries.stream().filter(e -> e.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer or vertex named '" + name + "' (nodes: "
                        + entries.stream().map(Entry::name).toList() + ")"));
    }

    /** Names of the entries reading {@code name}'s output. */
    public List<String> consumersOf(String name) {
        return entries.stream().filter(e -> e.inputs.contains(name)).map(Entry::name).toList();
    }

    /** Makes every reader of {@code from} (and the network output, if it was {@code from}) read {@code to} instead. */
    public void rewire(String from, String to) {
        for (Entry e : entries) {
            if (!e.name.equals(to)) {
                e.inputs.replaceAll(i -> i.equals(from) ? to : i);
            }
        }
        if (output.equals(from)) {
            output = to;
        }
    }

    /** Removes an entry (its readers must have been rewired first). */
    public void remove(String name) {
        Entry e = entry(name);
        if (!consumersOf(name).isEmpty() || output.equals(name)) {
            throw new IllegalStateException("'" + name + "' is still read by " + consumersOf(name)
                    + (output.equals(name) ? " and is the network output" : ""));
        }
        entries.remove(e);
    }

    /**
     * Adds a new layer after position of {@code after} (the input, or an entry), reading {@code inputs}.
     *
     * @param params explicit parameters for it, or null for DL4J's initialisation
     */
    public Entry addLayer(String after, String name, Layer layer, InputPreProcessor pre, List<String> inputs,
            Map<String, INDArray> params) {
        requireNewName(name);
        layer.setLayerName(name);
        Entry e = new Entry(name, layer, newLayerConf(layer), pre, inputs, null);
        e.setParams(params);
        entries.add(positionAfter(after), e);
        return e;
    }

    /** Adds a new graph vertex (not a layer) after {@code after}, reading {@code inputs}. */
    public Entry addVertex(String after, String name, GraphVertex vertex, List<String> inputs) {
        requireNewName(name);
        Entry e = new Entry(name, vertex, null, null, inputs, null);
        entries.add(positionAfter(after), e);
        return e;
    }

    private int positionAfter(String after) {
        if (after.equals(input)) {
            return 0;
        }
        return entries.indexOf(entry(after)) + 1;
    }

    private void requireNewName(String name) {
        if (name == null || name.isBlank() || has(name)) {
            throw new IllegalArgumentException("a new layer needs a name no node has; '" + name + "' is taken or empty");
        }
    }

    /**
     * A layer configuration wrapped as the network's own layers are: the original's seed and data type, and
     * the updater of its first layer unless the new layer sets one.
     */
    private NeuralNetConfiguration newLayerConf(Layer layer) {
        NeuralNetConfiguration like = entries.stream().filter(e -> e.layerConf != null).map(e -> e.layerConf)
                .findFirst().orElseThrow(() -> new IllegalStateException("the network has no layer to take settings from"));
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(like.getSeed())
                .dataType(like.getDataType());
        if (like.getLayer() instanceof BaseLayer base && base.getIUpdater() != null) {
            b.updater(base.getIUpdater().clone());
        }
        return b.layer(layer).build();
    }

    /**
     * A fresh, initialised network of the original's kind with this structure, its parameters filled by
     * {@code fill} (see {@link ParamFill#COPY}). The original network is not changed.
     */
    public Network build(ParamFill fill) {
        return fill(origin.isGraph() ? buildGraph() : buildMultiLayer(), fill);
    }

    /**
     * As {@link #build}, but always a ComputationGraph: a MultiLayerNetwork's chain becomes a graph
     * of the same layers under the same names, reading the same input, so an edit that needs a
     * vertex (a residual add) can follow. Layer configurations, preprocessors and the network-wide
     * settings (data type, workspace and cache modes, iteration and epoch counts) carry over.
     */
    public Network buildGraph(ParamFill fill) {
        return fill(buildGraph(), fill);
    }

    private Network fill(Network built, ParamFill fill) {
        for (Entry e : entries) {
            if (e.layer() == null) {
                continue;
            }
            Map<String, INDArray> to = built.params(e.name);
            if (to.isEmpty()) {
                continue;
            }
            fill.fill(e, e.source == null ? null : origin.params(e.source), to);
        }
        return built;
    }

    private Network buildMultiLayer() {
        MultiLayerConfiguration conf = ((MultiLayerNetwork) origin.model()).getLayerWiseConfigurations().clone();
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        Map<Integer, InputPreProcessor> pre = new HashMap<>();
        String previous = input;
        for (Entry e : entries) {
            if (e.layerConf == null) {
                throw new IllegalArgumentException("a MultiLayerNetwork cannot hold vertex '" + e.name + "' ("
                        + e.config.getClass().getSimpleName() + "); use a ComputationGraph");
            }
            if (!e.inputs.equals(List.of(previous))) {
                throw new IllegalArgumentException("a MultiLayerNetwork is a chain: layer '" + e.name + "' reads "
                        + e.inputs + " where it can only read '" + previous + "'; use a ComputationGraph");
            }
            if (e.preProcessor != null) {
                pre.put(confs.size(), e.preProcessor);
            }
            confs.add(e.layerConf);
            previous = e.name;
        }
        if (!output.equals(previous)) {
            throw new IllegalArgumentException("a MultiLayerNetwork's output is its last layer ('" + previous
                    + "'), not '" + output + "'");
        }
        conf.setConfs(confs);
        conf.setInputPreProcessors(pre);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return Network.of(net);
    }

    private Network buildGraph() {
        ComputationGraphConfiguration conf = origin.model() instanceof ComputationGraph graph
                ? graph.getConfiguration().clone() : graphSettings(((MultiLayerNetwork) origin.model()).getLayerWiseConfigurations());
        conf.getVertices().clear();
        conf.getVertexInputs().clear();
        for (Entry e : entries) {
            if (conf.getVertices().containsKey(e.name)) { // a chain may repeat a name; a graph's vertices are keyed by it
                throw new IllegalArgumentException("two layers are named '" + e.name + "'; a ComputationGraph needs"
                        + " distinct names, so rename one");
            }
            GraphVertex v = e.layerConf != null ? new LayerVertex(e.layerConf, e.preProcessor) : (GraphVertex) e.config;
            conf.getVertices().put(e.name, v);
            conf.getVertexInputs().put(e.name, new ArrayList<>(e.inputs));
        }
        conf.setNetworkOutputs(new ArrayList<>(List.of(output)));
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return Network.of(graph);
    }

    /** A graph configuration with a chain's network-wide settings and no vertices yet. */
    private ComputationGraphConfiguration graphSettings(MultiLayerConfiguration chain) {
        ComputationGraphConfiguration conf = new ComputationGraphConfiguration();
        NeuralNetConfiguration defaults = chain.getConf(0).clone();
        defaults.setLayer(null); // as a graph builder leaves it: the layers carry their own configurations
        // layer 0's parameter names are its own, not the defaults'; a new list leaves layer 0's alone
        defaults.setVariables(new ArrayList<>());
        conf.setDefaultConfiguration(defaults);
        conf.setNetworkInputs(new ArrayList<>(List.of(input)));
        conf.setVertices(new LinkedHashMap<>());
        conf.setVertexInputs(new LinkedHashMap<>());
        conf.setDataType(chain.getDataType());
        conf.setBackpropType(chain.getBackpropType());
        conf.setTbpttFwdLength(chain.getTbpttFwdLength());
        conf.setTbpttBackLength(chain.getTbpttBackLength());
        conf.setTrainingWorkspaceMode(chain.getTrainingWorkspaceMode());
        conf.setInferenceWorkspaceMode(chain.getInferenceWorkspaceMode());
        conf.setCacheMode(chain.getCacheMode());
        conf.setValidateOutputLayerConfig(chain.isValidateOutputLayerConfig());
        conf.setIterationCount(chain.getIterationCount());
        conf.setEpochCount(chain.getEpochCount());
        return conf;
    }

    /** Assigns {@code value} to {@code dest}, refusing a shape mismatch with the layer and parameter named. */
    public static void assignChecked(String layer, String param, INDArray dest, INDArray value) {
        if (!Arrays.equals(dest.shape(), value.shape())) {
            throw new IllegalStateException("layer '" + layer + "' parameter " + param + " has shape "
                    + Arrays.toString(dest.shape()) + ", the value " + Arrays.toString(value.shape()));
        }
        dest.assign(value);
    }
}
