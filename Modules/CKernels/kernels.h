// Kernels that want instructions beyond the x86-64 baseline Swift compiles for (SSE2), chosen at
// run time as OpenBLAS chooses its own: each function exists for AVX2 + FMA, and callers use it
// only where `latent_cpu_has_avx2_fma()` says the processor and the operating system support it.
// Swift has no per-function target attribute; C's `target(...)` gives the same runtime dispatch.
// Header-only: no library to link.
#ifndef LATENT_KERNELS_H
#define LATENT_KERNELS_H

#include <stddef.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/// 1 when AVX2 and FMA can run: the CPU has them (CPUID leaf 7 EBX bit 5, leaf 1 ECX bit 12)
/// and the OS saves the YMM registers (OSXSAVE, and XCR0 bits 1 and 2).
static inline int latent_cpu_has_avx2_fma(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!(fma && osxsave && avx)) return 0;
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b >> 5) & 1;
}

__attribute__((target("avx2,fma")))
static inline float latent_dot_avx2(const float *x, const float *y, ptrdiff_t n) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    ptrdiff_t k = 0;
    for (; k + 16 <= n; k += 16) {
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k), _mm256_loadu_ps(y + k), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k + 8), _mm256_loadu_ps(y + k + 8), a1);
    }
    if (k + 8 <= n) { a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k), _mm256_loadu_ps(y + k), a0); k += 8; }
    a0 = _mm256_add_ps(a0, a1);
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(a0), _mm256_extractf128_ps(a0, 1));
    s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    s4 = _mm_add_ss(s4, _mm_movehdup_ps(s4));
    float s = _mm_cvtss_f32(s4);
    for (; k < n; k++) s += x[k] * y[k];
    return s;
}

/// word2vec's negative-sampling step, AVX2 + FMA: the same computation as the Swift
/// `negativeSamplingStep` (LatentModels/Word2Vec/Word2VecKernels.swift, which documents it), with
/// fused multiply-adds, so the last bits differ from the SSE2 path.
__attribute__((target("avx2,fma")))
static inline void latent_w2v_negative_step_avx2(float *h, float *outputs, const ptrdiff_t *rows, ptrdiff_t count,
                                                 ptrdiff_t d, float alpha, const float *sigmoid, float maxExp,
                                                 float tableScale, float *gains, float *work) {
    int any = 0;
    for (ptrdiff_t s = 0; s < count; s++) {
        const float f = latent_dot_avx2(h, outputs + rows[s] * d, d);
        float g = 0;
        if (f > -maxExp && f < maxExp) {
            g = ((s == 0 ? 1.0f : 0.0f) - sigmoid[(ptrdiff_t)((f + maxExp) * tableScale)]) * alpha;
            any = 1;
        }
        gains[s] = g;
    }
    if (!any) {
        if (work) memset(work, 0, (size_t)d * sizeof(float));
        return;
    }
    ptrdiff_t k = 0;
    for (; k + 8 <= d; k += 8) {
        const __m256 hk = _mm256_loadu_ps(h + k);
        __m256 wk = _mm256_setzero_ps();
        for (ptrdiff_t s = 0; s < count; s++) {
            float *o = outputs + rows[s] * d + k;
            const __m256 ok = _mm256_loadu_ps(o), g = _mm256_set1_ps(gains[s]);
            wk = _mm256_fmadd_ps(g, ok, wk);
            _mm256_storeu_ps(o, _mm256_fmadd_ps(g, hk, ok));
        }
        if (work) _mm256_storeu_ps(work + k, wk); else _mm256_storeu_ps(h + k, _mm256_add_ps(hk, wk));
    }
    for (; k < d; k++) {
        const float hk = h[k];
        float wk = 0;
        for (ptrdiff_t s = 0; s < count; s++) {
            float *o = outputs + rows[s] * d + k;
            const float ok = *o;
            wk += gains[s] * ok;
            *o = ok + gains[s] * hk;
        }
        if (work) work[k] = wk; else h[k] = hk + wk;
    }
}

/// `e^x`, 8 lanes: the Cephes `expf` of LatentNN's `expFloat` (FastMath.swift, which documents
/// it), with fused multiply-adds. NaN stays NaN; 0 below −87.3, +∞ above 88.7.
__attribute__((target("avx2,fma")))
static inline __m256 latent_exp8_avx2(__m256 x) {
    const __m256 hi = _mm256_set1_ps(88.72283f), lo = _mm256_set1_ps(-87.33654f);
    const __m256 magic = _mm256_set1_ps(12582912.0f);
    __m256 xc = _mm256_min_ps(_mm256_max_ps(x, lo), hi);         // NaN becomes lo here (restored below)
    __m256 v = _mm256_fmadd_ps(xc, _mm256_set1_ps(1.44269504f), magic);
    __m256 n = _mm256_sub_ps(v, magic);
    __m256i k = _mm256_sub_epi32(_mm256_castps_si256(v), _mm256_castps_si256(magic));
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), xc);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 y = _mm256_set1_ps(1.9875691500e-4f);
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.3981999507e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(8.3334519073e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(4.1665795894e-2f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.6666665459e-1f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(5.0000001201e-1f));
    y = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(y, r), r, r), _mm256_set1_ps(1.0f));
    // 2^n with n = 128 kept finite: 2^(n−1)·2 for positive n
    __m256i up = _mm256_and_si256(_mm256_cmpgt_epi32(k, _mm256_setzero_si256()), _mm256_set1_epi32(1));
    __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(k, up), _mm256_set1_epi32(127)), 23));
    __m256 two = _mm256_add_ps(_mm256_set1_ps(1.0f), _mm256_cvtepi32_ps(up));
    __m256 result = _mm256_mul_ps(_mm256_mul_ps(y, scale), two);
    result = _mm256_blendv_ps(result, _mm256_setzero_ps(), _mm256_cmp_ps(x, lo, _CMP_LT_OQ));
    result = _mm256_blendv_ps(result, _mm256_set1_ps(__builtin_inff()), _mm256_cmp_ps(x, hi, _CMP_GT_OQ));
    return _mm256_blendv_ps(result, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

/// `erf(x)`, 8 lanes: the rational approximation of LatentNN's `erfFloat` (Eigen's
/// `generic_fast_erf_float`, saturating outside [−4, 4]), with fused multiply-adds. NaN stays NaN.
__attribute__((target("avx2,fma")))
static inline __m256 latent_erf8_avx2(__m256 x) {
    __m256 xc = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-4.0f)), _mm256_set1_ps(4.0f));
    __m256 x2 = _mm256_mul_ps(xc, xc);
    __m256 p = _mm256_set1_ps(-2.72614225801306e-10f);
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(2.77068142495902e-08f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-2.10102402082508e-06f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-5.69250639462346e-05f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-7.34990630326855e-04f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-2.95459980854025e-03f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-1.60960333262415e-02f));
    __m256 q = _mm256_set1_ps(-1.45660718464996e-05f);
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-2.13374055278905e-04f));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-1.68282697438203e-03f));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-7.37332916720468e-03f));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-1.42647390514189e-02f));
    __m256 e = _mm256_div_ps(_mm256_mul_ps(xc, p), q);
    return _mm256_blendv_ps(e, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

/// GELU `x·Φ(x)`, `Φ(x) = (1 + erf(x/√2))/2` (LatentNN's `GELUFunction`), 8 lanes.
__attribute__((target("avx2,fma")))
static inline __m256 latent_gelu8_avx2(__m256 x) {
    __m256 cdf = _mm256_mul_ps(_mm256_add_ps(_mm256_set1_ps(1.0f), latent_erf8_avx2(_mm256_mul_ps(x, _mm256_set1_ps(0.70710678118654752f)))),
                               _mm256_set1_ps(0.5f));
    return _mm256_mul_ps(x, cdf);
}

/// GELU's derivative `Φ(x) + x·φ(x)`, `φ(x) = e^(−x²/2)/√(2π)`, 8 lanes.
__attribute__((target("avx2,fma")))
static inline __m256 latent_gelu_derivative8_avx2(__m256 x) {
    __m256 cdf = _mm256_mul_ps(_mm256_add_ps(_mm256_set1_ps(1.0f), latent_erf8_avx2(_mm256_mul_ps(x, _mm256_set1_ps(0.70710678118654752f)))),
                               _mm256_set1_ps(0.5f));
    __m256 density = _mm256_mul_ps(_mm256_set1_ps(0.3989422804014327f),
                                   latent_exp8_avx2(_mm256_mul_ps(_mm256_mul_ps(x, x), _mm256_set1_ps(-0.5f))));
    return _mm256_fmadd_ps(x, density, cdf);
}

/// `y[i] = gelu(x[i])` for `i < n` (the last partial group through an 8-lane buffer).
__attribute__((target("avx2,fma")))
static inline void latent_gelu_forward_avx2(const float *x, float *y, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, latent_gelu8_avx2(_mm256_loadu_ps(x + i)));
    if (i < n) {
        float in[8] = {0}, out[8];
        memcpy(in, x + i, (size_t)(n - i) * sizeof(float));
        _mm256_storeu_ps(out, latent_gelu8_avx2(_mm256_loadu_ps(in)));
        memcpy(y + i, out, (size_t)(n - i) * sizeof(float));
    }
}

/// `d[i] = g[i]·gelu′(x[i])`, or `d[i] += …` when `accumulate` is non-zero, for `i < n`.
__attribute__((target("avx2,fma")))
static inline void latent_gelu_backward_avx2(const float *x, const float *g, float *d, ptrdiff_t n, int accumulate) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 t = _mm256_mul_ps(_mm256_loadu_ps(g + i), latent_gelu_derivative8_avx2(_mm256_loadu_ps(x + i)));
        _mm256_storeu_ps(d + i, accumulate ? _mm256_add_ps(_mm256_loadu_ps(d + i), t) : t);
    }
    if (i < n) {
        float in[8] = {0}, gin[8] = {0}, out[8] = {0};
        memcpy(in, x + i, (size_t)(n - i) * sizeof(float));
        memcpy(gin, g + i, (size_t)(n - i) * sizeof(float));
        if (accumulate) memcpy(out, d + i, (size_t)(n - i) * sizeof(float));
        __m256 t = _mm256_mul_ps(_mm256_loadu_ps(gin), latent_gelu_derivative8_avx2(_mm256_loadu_ps(in)));
        _mm256_storeu_ps(out, accumulate ? _mm256_add_ps(_mm256_loadu_ps(out), t) : t);
        memcpy(d + i, out, (size_t)(n - i) * sizeof(float));
    }
}

#else
static inline int latent_cpu_has_avx2_fma(void) { return 0; }
static inline void latent_w2v_negative_step_avx2(float *h, float *outputs, const ptrdiff_t *rows, ptrdiff_t count,
                                                 ptrdiff_t d, float alpha, const float *sigmoid, float maxExp,
                                                 float tableScale, float *gains, float *work) {
    (void)h; (void)outputs; (void)rows; (void)count; (void)d; (void)alpha; (void)sigmoid; (void)maxExp;
    (void)tableScale; (void)gains; (void)work;
    __builtin_trap();   // never called: latent_cpu_has_avx2_fma() is 0 here
}
static inline void latent_gelu_forward_avx2(const float *x, float *y, ptrdiff_t n) {
    (void)x; (void)y; (void)n;
    __builtin_trap();
}
static inline void latent_gelu_backward_avx2(const float *x, const float *g, float *d, ptrdiff_t n, int accumulate) {
    (void)x; (void)g; (void)d; (void)n; (void)accumulate;
    __builtin_trap();
}
#endif

#endif
