package dev.topiary.nn.metrics;

/**
 * One layer (or graph vertex) of a network as events describe it: plain values, so the event
 * layer can map it to Avro without touching DL4J.
 *
 * @param name the layer's name in the network, e.g. {@code dense1} or {@code block2_add}
 * @param type DL4J's simple class name of the layer configuration, e.g. {@code DenseLayer},
 *     {@code ConvolutionLayer}, {@code ElementWiseVertex}
 * @param shape {@code 784->300} (dense: inputs->outputs), {@code 5x5x1->20} (convolution:
 *     kernel height x width x input channels -> filters), {@code 24x24x20->12x12x20} (a layer without
 *     weights: activation shape in->out), {@code add 100+100->100} (an element-wise vertex: op, inputs->output)
 * @param params number of parameters, biases and batch-norm statistics included
 * @param nonzeros how many of those parameters are not exactly zero
 */
public record LayerInfo(String name, String type, String shape, long params, long nonzeros) {}
