package dev.topiary.nn.train;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Single-precision GEMM straight into the OpenBLAS library ND4J itself loads, skipping ND4J's
 * {@code Mmul} custom op. For the small products of a minibatch step that op's bookkeeping
 * (shape inference, op context, workspace checks: 20-40 µs per call) is a large part of the
 * product's own time; the direct call costs about a microsecond. Column-major, as BLAS defines
 * it: a row-major {@code [rows, cols]} array is the column-major matrix {@code [cols, rows]}.
 */
final class OpenBlasGemm {
    private OpenBlasGemm() {}

    /** True when ND4J's BLAS is the OpenBLAS this class calls. */
    static boolean available() {
        try {
            return Nd4j.factory().blas().getBlasVendor() == Blas.Vendor.OPENBLAS;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** {@code C[m,n] = op(A)[m,k] * op(B)[k,n]}, all column-major, offsets in elements. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     NativeFloats a, long aOffset, int lda,
                     NativeFloats b, long bOffset, int ldb,
                     NativeFloats c, long cOffset, int ldc) {
        if (a == b || b == c || a == c) {
            throw new IllegalArgumentException("each operand needs its own window: a window has one position");
        }
        cblas_sgemm(CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                1f, a.at(aOffset), lda, b.at(bOffset), ldb, 0f, c.at(cOffset), ldc);
    }
}
