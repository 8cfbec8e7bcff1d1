// SHA-256 compression of n consecutive 64-byte blocks with the Armv8 SHA-256 instructions.
//
//   void sha256_blocks_ce(uint32_t state[8], const uint8_t *blocks, size_t n);   // n >= 1
//
// state[] holds H0..H7 as native (little-endian) 32-bit words; the block is the message as bytes
// (big-endian words, FIPS 180-4). Generated once by hand-written Python; four rounds per step.
    .arch armv8-a+crypto
    .text
    .globl  sha256_blocks_ce
    .type   sha256_blocks_ce, %function
sha256_blocks_ce:
    mov     x3, x2                          // n
    ld1     {v0.4s, v1.4s}, [x0]            // v0 = ABCD, v1 = EFGH
.Lblock:
    ld1     {v4.16b, v5.16b, v6.16b, v7.16b}, [x1], #64
    adr     x2, .Lk256
    rev32   v4.16b, v4.16b
    rev32   v5.16b, v5.16b
    rev32   v6.16b, v6.16b
    rev32   v7.16b, v7.16b
    mov     v2.16b, v0.16b                  // saved ABCD
    mov     v3.16b, v1.16b                  // saved EFGH
    ld1     {v16.4s}, [x2], #16            // K[0..3]
    add     v16.4s, v16.4s, v4.4s
    mov     v18.16b, v0.16b
    sha256su0 v4.4s, v5.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v4.4s, v6.4s, v7.4s
    ld1     {v16.4s}, [x2], #16            // K[4..7]
    add     v16.4s, v16.4s, v5.4s
    mov     v18.16b, v0.16b
    sha256su0 v5.4s, v6.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v5.4s, v7.4s, v4.4s
    ld1     {v16.4s}, [x2], #16            // K[8..11]
    add     v16.4s, v16.4s, v6.4s
    mov     v18.16b, v0.16b
    sha256su0 v6.4s, v7.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v6.4s, v4.4s, v5.4s
    ld1     {v16.4s}, [x2], #16            // K[12..15]
    add     v16.4s, v16.4s, v7.4s
    mov     v18.16b, v0.16b
    sha256su0 v7.4s, v4.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v7.4s, v5.4s, v6.4s
    ld1     {v16.4s}, [x2], #16            // K[16..19]
    add     v16.4s, v16.4s, v4.4s
    mov     v18.16b, v0.16b
    sha256su0 v4.4s, v5.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v4.4s, v6.4s, v7.4s
    ld1     {v16.4s}, [x2], #16            // K[20..23]
    add     v16.4s, v16.4s, v5.4s
    mov     v18.16b, v0.16b
    sha256su0 v5.4s, v6.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v5.4s, v7.4s, v4.4s
    ld1     {v16.4s}, [x2], #16            // K[24..27]
    add     v16.4s, v16.4s, v6.4s
    mov     v18.16b, v0.16b
    sha256su0 v6.4s, v7.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v6.4s, v4.4s, v5.4s
    ld1     {v16.4s}, [x2], #16            // K[28..31]
    add     v16.4s, v16.4s, v7.4s
    mov     v18.16b, v0.16b
    sha256su0 v7.4s, v4.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v7.4s, v5.4s, v6.4s
    ld1     {v16.4s}, [x2], #16            // K[32..35]
    add     v16.4s, v16.4s, v4.4s
    mov     v18.16b, v0.16b
    sha256su0 v4.4s, v5.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v4.4s, v6.4s, v7.4s
    ld1     {v16.4s}, [x2], #16            // K[36..39]
    add     v16.4s, v16.4s, v5.4s
    mov     v18.16b, v0.16b
    sha256su0 v5.4s, v6.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v5.4s, v7.4s, v4.4s
    ld1     {v16.4s}, [x2], #16            // K[40..43]
    add     v16.4s, v16.4s, v6.4s
    mov     v18.16b, v0.16b
    sha256su0 v6.4s, v7.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v6.4s, v4.4s, v5.4s
    ld1     {v16.4s}, [x2], #16            // K[44..47]
    add     v16.4s, v16.4s, v7.4s
    mov     v18.16b, v0.16b
    sha256su0 v7.4s, v4.4s
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    sha256su1 v7.4s, v5.4s, v6.4s
    ld1     {v16.4s}, [x2], #16            // K[48..51]
    add     v16.4s, v16.4s, v4.4s
    mov     v18.16b, v0.16b
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    ld1     {v16.4s}, [x2], #16            // K[52..55]
    add     v16.4s, v16.4s, v5.4s
    mov     v18.16b, v0.16b
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    ld1     {v16.4s}, [x2], #16            // K[56..59]
    add     v16.4s, v16.4s, v6.4s
    mov     v18.16b, v0.16b
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    ld1     {v16.4s}, [x2], #16            // K[60..63]
    add     v16.4s, v16.4s, v7.4s
    mov     v18.16b, v0.16b
    sha256h  q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    add     v0.4s, v0.4s, v2.4s
    add     v1.4s, v1.4s, v3.4s
    subs    x3, x3, #1
    b.ne    .Lblock
    st1     {v0.4s, v1.4s}, [x0]
    ret
    .size   sha256_blocks_ce, .-sha256_blocks_ce

    .section .rodata
    .align  4
.Lk256:
    .word   0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
    .word   0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
    .word   0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
    .word   0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
    .word   0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
    .word   0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
    .word   0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
    .word   0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
    .word   0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
    .word   0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
    .word   0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
    .word   0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
    .word   0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
    .word   0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
    .word   0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
    .word   0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
