package dev.topiary.merger.combine;

/**
 * Spherical linear interpolation of two flat parameter vectors (Shoemake 1985, as model-merging
 * tools use it): {@code sin((1−t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b}, Ω the angle between them, so the
 * path keeps the vectors' norm where a straight average shrinks it; nearly parallel vectors (Ω below
 * 1e-6) are interpolated linearly.
 */
public final class Slerp {
    private Slerp() {}

    public static double[] of(double[] a, double[] b, double t) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("slerp of vectors of " + a.length + " and " + b.length + " values");
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        double cos = na == 0 || nb == 0 ? 1 : Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
        double omega = Math.acos(cos);
        double wa;
        double wb;
        if (omega < 1e-6) {
            wa = 1 - t;
            wb = t;
        } else {
            wa = Math.sin((1 - t) * omega) / Math.sin(omega);
            wb = Math.sin(t * omega) / Math.sin(omega);
        }
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = wa * a[i] + wb * b[i];
        }
        return out;
    }
}
