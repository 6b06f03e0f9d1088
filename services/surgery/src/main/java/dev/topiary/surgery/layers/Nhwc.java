package dev.topiary.surgery.layers;

import dev.topiary.surgery.UnsupportedModelException;

/** The one refusal of the NHWC layout: channel indices are located by NCHW throughout. */
final class Nhwc {
    private Nhwc() {
    }

    static UnsupportedModelException refused(String operation, String node, String type) {
        return new UnsupportedModelException(operation + ": layer '" + node + "' of type " + type
                + " uses the NHWC data format; only NCHW is supported");
    }
}
