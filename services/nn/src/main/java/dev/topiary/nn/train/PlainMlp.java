package dev.topiary.nn.train;

import dev.topiary.surgery.graph.Network;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Recognises the networks {@link DenseStepEngine} trains: exactly those whose every step it can
 * compute as DL4J would, so choosing the fast engine never changes what a model learns.
 */
final class PlainMlp {
    private PlainMlp() {}

    /**
     * Why the dense engine cannot train this network exactly as DL4J would, or empty if it can: a
     * MultiLayerNetwork of float {@link DenseLayer}s (ReLU without options, or identity, with bias,
     * no layer norm) and one softmax {@link OutputLayer} with unweighted cross-entropy; no
     * dropout, weight noise, constraints, gradient normalisation or input preprocessors; standard
     * backprop; ND4J on OpenBLAS; weights laid out as DL4J lays them out. (Every updater
     * {@link InstalledUpdater} installs has a {@link HeapOptimizer} form.)
     */
    static Optional<String> whyNot(Network net) {
        if (net.isGraph()) {
            return Optional.of("not a MultiLayerNetwork");
        }
        MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
        if (!OpenBlasGemm.available()) {
            return Optional.of("ND4J does not use OpenBLAS");
        }
        if (net.dataType() != DataType.FLOAT) {
            return Optional.of("parameters are " + net.dataType() + ", not FLOAT");
        }
        MultiLayerConfiguration conf = mln.getLayerWiseConfigurations();
        if (conf.getBackpropType() != BackpropType.Standard) {
            return Optional.of("backprop type " + conf.getBackpropType());
        }
        Map<Integer, InputPreProcessor> pre = conf.getInputPreProcessors();
        if (pre != null && pre.values().stream().anyMatch(Objects::nonNull)) {
            return Optional.of("input preprocessors");
        }
        Layer[] all = mln.getLayers();
        for (int i = 0; i < all.length; i++) {
            Optional<String> reason = unsupportedLayer(all[i], i == all.length - 1);
            if (reason.isPresent()) {
                return Optional.of("layer " + i + " (" + all[i].conf().getLayer().getLayerName() + "): " + reason.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unsupportedLayer(Layer layer, boolean last) {
        Object conf = layer.conf().getLayer();
        Class<?> expected = last ? OutputLayer.class : DenseLayer.class;
        if (conf.getClass() != expected) {
            return Optional.of(conf.getClass().getSimpleName() + " where a " + expected.getSimpleName() + " is needed");
        }
        BaseLayer base = (BaseLayer) conf;
        if (base.getIDropout() != null || base.getWeightNoise() != null
                || (base.getConstraints() != null && !base.getConstraints().isEmpty())) {
            return Optional.of("dropout, weight noise or constraints");
        }
        if (base.getGradientNormalization() != null && base.getGradientNormalization() != GradientNormalization.None) {
            return Optional.of("gradient normalisation " + base.getGradientNormalization());
        }
        IActivation activation = base.getActivationFn();
        if (last) {
            OutputLayer out = (OutputLayer) conf;
            if (!out.hasBias() || !(activation instanceof ActivationSoftmax)
                    || !(out.getLossFn() instanceof LossMCXENT loss) || loss.getWeights() != null) {
                return Optional.of("not softmax with unweighted cross-entropy and bias");
            }
        } else {
            DenseLayer dense = (DenseLayer) conf;
            if (!dense.hasBias() || dense.hasLayerNorm()) {
                return Optional.of("no bias, or layer norm");
            }
            boolean plainRelu = activation instanceof ActivationReLU r
                    && r.getMax() == null && r.getThreshold() == null && r.getNegativeSlope() == null;
            if (!plainRelu && !(activation instanceof ActivationIdentity)) {
                return Optional.of("activation " + activation);
            }
        }
        INDArray w = layer.getParam("W");
        INDArray b = layer.getParam("b");
        if (w == null || b == null || w.rank() != 2 || w.ordering() != 'f' || w.stride(0) != 1
                || w.stride(1) != w.size(0) || b.length() != w.size(1) || b.elementWiseStride() != 1) {
            return Optional.of("weights not in DL4J's standard layout");
        }
        return Optional.empty();
    }
}
