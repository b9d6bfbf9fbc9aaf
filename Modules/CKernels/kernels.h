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

#else
static inline int latent_cpu_has_avx2_fma(void) { return 0; }
static inline void latent_w2v_negative_step_avx2(float *h, float *outputs, const ptrdiff_t *rows, ptrdiff_t count,
                                                 ptrdiff_t d, float alpha, const float *sigmoid, float maxExp,
                                                 float tableScale, float *gains, float *work) {
    (void)h; (void)outputs; (void)rows; (void)count; (void)d; (void)alpha; (void)sigmoid; (void)maxExp;
    (void)tableScale; (void)gains; (void)work;
    __builtin_trap();   // never called: latent_cpu_has_avx2_fma() is 0 here
}
#endif

#endif
