// The C interface Latent uses: OpenBLAS's CBLAS (with its openblas_* extensions) and LAPACKE.
// Debian's openblas.pc says NO_LAPACKE, so the module map links liblapacke explicitly.
#include <cblas.h>
#include <lapacke.h>
