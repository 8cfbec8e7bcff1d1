// BUGGY on purpose: the last rotate is by 8 instead of 7. ChaCha20 column round with NEON: four quarter rounds at once, one per 32-bit lane.
//
//   void chacha20_qround_neon(uint32_t x[16]);
//
// x[] is the 4x4 ChaCha state (RFC 8439 2.3); lane i of vectors a, b, c, d holds x[i], x[4+i],
// x[8+i], x[12+i], so one pass applies QUARTERROUND to the four columns.
    .text
    .globl  chacha20_qround_neon
    .type   chacha20_qround_neon, %function
chacha20_qround_neon:
    ld1     {v0.4s, v1.4s, v2.4s, v3.4s}, [x0]
    add     v0.4s, v0.4s, v1.4s         // a += b; d ^= a; d <<<= 16
    eor     v3.16b, v3.16b, v0.16b
    rev32   v3.8h, v3.8h
    add     v2.4s, v2.4s, v3.4s         // c += d; b ^= c; b <<<= 12
    eor     v4.16b, v1.16b, v2.16b
    ushr    v1.4s, v4.4s, #20
    sli     v1.4s, v4.4s, #12
    add     v0.4s, v0.4s, v1.4s         // a += b; d ^= a; d <<<= 8
    eor     v4.16b, v3.16b, v0.16b
    ushr    v3.4s, v4.4s, #24
    sli     v3.4s, v4.4s, #8
    add     v2.4s, v2.4s, v3.4s         // c += d; b ^= c; b <<<= 7
    eor     v4.16b, v1.16b, v2.16b
    ushr    v1.4s, v4.4s, #24          // BUG: rotates by 8, not 7
    sli     v1.4s, v4.4s, #8
    st1     {v0.4s, v1.4s, v2.4s, v3.4s}, [x0]
    ret
    .size   chacha20_qround_neon, .-chacha20_qround_neon
