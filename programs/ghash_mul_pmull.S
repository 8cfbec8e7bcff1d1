// GHASH multiplication X <- X * H in GF(2^128) (NIST SP 800-38D 6.3) with PMULL.
//
//   void ghash_mul_pmull(uint8_t x[16], const uint8_t h[16]);
//
// Blocks are 16-byte strings in GCM order (bit 0 of the string is the MSB of byte 0). RBIT on each
// byte turns such a string, read little-endian, into the polynomial's natural integer form; the
// 256-bit product is formed by four 64x64 PMULLs and reduced modulo x^128 + x^7 + x^2 + x + 1 by
// folding with 0x87 twice.
    .arch armv8-a+crypto
    .text
    .globl  ghash_mul_pmull
    .type   ghash_mul_pmull, %function
ghash_mul_pmull:
    ld1     {v0.16b}, [x0]
    ld1     {v1.16b}, [x1]
    rbit    v0.16b, v0.16b
    rbit    v1.16b, v1.16b
    movi    v7.2d, #0
    pmull   v2.1q, v0.1d, v1.1d         // a0*b0
    pmull2  v3.1q, v0.2d, v1.2d         // a1*b1
    ext     v4.16b, v1.16b, v1.16b, #8  // b1:b0 swapped
    pmull   v5.1q, v0.1d, v4.1d         // a0*b1
    pmull2  v6.1q, v0.2d, v4.2d         // a1*b0
    eor     v5.16b, v5.16b, v6.16b      // middle term
    ext     v6.16b, v7.16b, v5.16b, #8  // middle << 64
    ext     v16.16b, v5.16b, v7.16b, #8  // middle >> 64
    eor     v2.16b, v2.16b, v6.16b      // low 128 bits of the product
    eor     v3.16b, v3.16b, v16.16b      // high 128 bits
    mov     x2, #0x87
    dup     v17.2d, x2
    pmull   v18.1q, v3.1d, v17.1d        // high0 * (x^7 + x^2 + x + 1)
    pmull2  v19.1q, v3.2d, v17.2d        // high1 * (x^7 + x^2 + x + 1), at x^64
    ext     v20.16b, v7.16b, v19.16b, #8
    ext     v21.16b, v19.16b, v7.16b, #8   // the part that overflows x^128 again
    eor     v2.16b, v2.16b, v18.16b
    eor     v2.16b, v2.16b, v20.16b
    pmull   v22.1q, v21.1d, v17.1d
    eor     v2.16b, v2.16b, v22.16b
    rbit    v2.16b, v2.16b
    st1     {v2.16b}, [x0]
    ret
    .size   ghash_mul_pmull, .-ghash_mul_pmull
