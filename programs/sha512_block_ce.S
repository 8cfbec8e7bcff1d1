// SHA-512 compression of one 128-byte block with the Armv8.2 SHA-512 instructions.
//
//   void sha512_block_ce(uint64_t state[8], const uint8_t block[128]);
//
// state[] holds H0..H7 as native (little-endian) 64-bit words; the block is the message as bytes
// (big-endian 64-bit words, FIPS 180-4 5.2.2).  Written from FIPS 180-4 6.4.2 and the Arm ARM
// pseudocode of SHA512H, SHA512H2, SHA512SU0 and SHA512SU1; two rounds per SHA512H/SHA512H2 pair.
//
// Working variables live in pairs (low lane first): AB = [a, b], CD = [c, d], EF = [e, f],
// GH = [g, h], plus one free register.  For rounds t, t+1 (Arm ARM operand roles):
//   SHA512H  GH, [f, g], [d, e]   with GH = [g + K[t+1] + W[t+1], h + K[t] + W[t]]
//            -> GH = [T1(t+1), T1(t)]              (X = [f, g], Y = [d, e], W = GH)
//   new EF = CD + GH = [c + T1(t+1), d + T1(t)]    (e after t+1, e after t)
//   SHA512H2 GH, CD, AB -> GH = [a after t+1, a after t]   (X<63:0> = c, Y = [a, b], W = GH)
// after which (AB, CD, EF, GH, free) are the registers (GH, AB, new EF, EF, CD).
// Schedule (FIPS 180-4 6.4.2 step 1), W pairs in v16..v23 (v16+k holds W[2k], W[2k+1] mod 16):
//   SHA512SU0 Wk, Wk+1 -> [W[t-16] + s0(W[t-15]), W[t-15] + s0(W[t-14])]
//   SHA512SU1 Wk, Wk+7, [W[t-7], W[t-6]] -> adds s1(W[t-2]), s1(W[t-1]) and W[t-7], W[t-6].
// Uses v0-v7 and v16-v29 only, so the callee-saved d8-d15 are untouched (AAPCS64).
    .arch armv8.2-a+sha3
    .text

// Two rounds: v<ab>, v<cd>, v<ef>, v<gh> hold the working pairs, v<nef> receives the new EF,
// v<w> the message pair W[t], W[t+1]; x2 walks the K512 table.
    .macro  dround ab, cd, ef, gh, nef, w
    ld1     {v28.2d}, [x2], #16                 // [K[t], K[t+1]]
    add     v5.2d, v28.2d, v\w\().2d            // [K[t] + W[t], K[t+1] + W[t+1]]
    ext     v5.16b, v5.16b, v5.16b, #8          // swap: round t in the high lane
    ext     v6.16b, v\ef\().16b, v\gh\().16b, #8   // [f, g]
    ext     v7.16b, v\cd\().16b, v\ef\().16b, #8   // [d, e]
    add     v\gh\().2d, v\gh\().2d, v5.2d       // [g + K + W (t+1), h + K + W (t)]
    sha512h q\gh, q6, v7.2d                     // [T1(t+1), T1(t)]
    add     v\nef\().2d, v\cd\().2d, v\gh\().2d // new [e, f]
    sha512h2 q\gh, q\cd, v\ab\().2d             // new [a, b]
    .endm

// Message schedule for the pair W[t], W[t+1] (t >= 16) in place of W[t-16], W[t-15] in v<w0>;
// v<w1> = [W[t-14], W[t-13]], v<w4> = [W[t-8], W[t-7]], v<w5> = [W[t-6], W[t-5]],
// v<w7> = [W[t-2], W[t-1]].
    .macro  schedule w0, w1, w4, w5, w7
    sha512su0 v\w0\().2d, v\w1\().2d
    ext     v29.16b, v\w4\().16b, v\w5\().16b, #8  // [W[t-7], W[t-6]]
    sha512su1 v\w0\().2d, v\w7\().2d, v29.2d
    .endm

    .globl  sha512_block_ce
    .type   sha512_block_ce, %function
sha512_block_ce:
    ld1     {v0.2d, v1.2d, v2.2d, v3.2d}, [x0]         // [a, b], [c, d], [e, f], [g, h]
    ld1     {v16.16b, v17.16b, v18.16b, v19.16b}, [x1], #64
    ld1     {v20.16b, v21.16b, v22.16b, v23.16b}, [x1]
    adrp    x2, .Lk512
    add     x2, x2, :lo12:.Lk512
    rev64   v16.16b, v16.16b                            // big-endian message words
    rev64   v17.16b, v17.16b
    rev64   v18.16b, v18.16b
    rev64   v19.16b, v19.16b
    rev64   v20.16b, v20.16b
    rev64   v21.16b, v21.16b
    rev64   v22.16b, v22.16b
    rev64   v23.16b, v23.16b
    mov     v24.16b, v0.16b                             // the incoming hash value
    mov     v25.16b, v1.16b
    mov     v26.16b, v2.16b
    mov     v27.16b, v3.16b
    dround   0, 1, 2, 3, 4, 16                 // rounds 0, 1
    schedule 16, 17, 20, 21, 23             // W[16], W[17]
    dround   3, 0, 4, 2, 1, 17                 // rounds 2, 3
    schedule 17, 18, 21, 22, 16             // W[18], W[19]
    dround   2, 3, 1, 4, 0, 18                 // rounds 4, 5
    schedule 18, 19, 22, 23, 17             // W[20], W[21]
    dround   4, 2, 0, 1, 3, 19                 // rounds 6, 7
    schedule 19, 20, 23, 16, 18             // W[22], W[23]
    dround   1, 4, 3, 0, 2, 20                 // rounds 8, 9
    schedule 20, 21, 16, 17, 19             // W[24], W[25]
    dround   0, 1, 2, 3, 4, 21                 // rounds 10, 11
    schedule 21, 22, 17, 18, 20             // W[26], W[27]
    dround   3, 0, 4, 2, 1, 22                 // rounds 12, 13
    schedule 22, 23, 18, 19, 21             // W[28], W[29]
    dround   2, 3, 1, 4, 0, 23                 // rounds 14, 15
    schedule 23, 16, 19, 20, 22             // W[30], W[31]
    dround   4, 2, 0, 1, 3, 16                 // rounds 16, 17
    schedule 16, 17, 20, 21, 23             // W[32], W[33]
    dround   1, 4, 3, 0, 2, 17                 // rounds 18, 19
    schedule 17, 18, 21, 22, 16             // W[34], W[35]
    dround   0, 1, 2, 3, 4, 18                 // rounds 20, 21
    schedule 18, 19, 22, 23, 17             // W[36], W[37]
    dround   3, 0, 4, 2, 1, 19                 // rounds 22, 23
    schedule 19, 20, 23, 16, 18             // W[38], W[39]
    dround   2, 3, 1, 4, 0, 20                 // rounds 24, 25
    schedule 20, 21, 16, 17, 19             // W[40], W[41]
    dround   4, 2, 0, 1, 3, 21                 // rounds 26, 27
    schedule 21, 22, 17, 18, 20             // W[42], W[43]
    dround   1, 4, 3, 0, 2, 22                 // rounds 28, 29
    schedule 22, 23, 18, 19, 21             // W[44], W[45]
    dround   0, 1, 2, 3, 4, 23                 // rounds 30, 31
    schedule 23, 16, 19, 20, 22             // W[46], W[47]
    dround   3, 0, 4, 2, 1, 16                 // rounds 32, 33
    schedule 16, 17, 20, 21, 23             // W[48], W[49]
    dround   2, 3, 1, 4, 0, 17                 // rounds 34, 35
    schedule 17, 18, 21, 22, 16             // W[50], W[51]
    dround   4, 2, 0, 1, 3, 18                 // rounds 36, 37
    schedule 18, 19, 22, 23, 17             // W[52], W[53]
    dround   1, 4, 3, 0, 2, 19                 // rounds 38, 39
    schedule 19, 20, 23, 16, 18             // W[54], W[55]
    dround   0, 1, 2, 3, 4, 20                 // rounds 40, 41
    schedule 20, 21, 16, 17, 19             // W[56], W[57]
    dround   3, 0, 4, 2, 1, 21                 // rounds 42, 43
    schedule 21, 22, 17, 18, 20             // W[58], W[59]
    dround   2, 3, 1, 4, 0, 22                 // rounds 44, 45
    schedule 22, 23, 18, 19, 21             // W[60], W[61]
    dround   4, 2, 0, 1, 3, 23                 // rounds 46, 47
    schedule 23, 16, 19, 20, 22             // W[62], W[63]
    dround   1, 4, 3, 0, 2, 16                 // rounds 48, 49
    schedule 16, 17, 20, 21, 23             // W[64], W[65]
    dround   0, 1, 2, 3, 4, 17                 // rounds 50, 51
    schedule 17, 18, 21, 22, 16             // W[66], W[67]
    dround   3, 0, 4, 2, 1, 18                 // rounds 52, 53
    schedule 18, 19, 22, 23, 17             // W[68], W[69]
    dround   2, 3, 1, 4, 0, 19                 // rounds 54, 55
    schedule 19, 20, 23, 16, 18             // W[70], W[71]
    dround   4, 2, 0, 1, 3, 20                 // rounds 56, 57
    schedule 20, 21, 16, 17, 19             // W[72], W[73]
    dround   1, 4, 3, 0, 2, 21                 // rounds 58, 59
    schedule 21, 22, 17, 18, 20             // W[74], W[75]
    dround   0, 1, 2, 3, 4, 22                 // rounds 60, 61
    schedule 22, 23, 18, 19, 21             // W[76], W[77]
    dround   3, 0, 4, 2, 1, 23                 // rounds 62, 63
    schedule 23, 16, 19, 20, 22             // W[78], W[79]
    dround   2, 3, 1, 4, 0, 16                 // rounds 64, 65
    dround   4, 2, 0, 1, 3, 17                 // rounds 66, 67
    dround   1, 4, 3, 0, 2, 18                 // rounds 68, 69
    dround   0, 1, 2, 3, 4, 19                 // rounds 70, 71
    dround   3, 0, 4, 2, 1, 20                 // rounds 72, 73
    dround   2, 3, 1, 4, 0, 21                 // rounds 74, 75
    dround   4, 2, 0, 1, 3, 22                 // rounds 76, 77
    dround   1, 4, 3, 0, 2, 23                 // rounds 78, 79
    add     v0.2d, v0.2d, v24.2d                        // H(i) = H(i-1) + working variables
    add     v1.2d, v1.2d, v25.2d
    add     v2.2d, v2.2d, v26.2d
    add     v3.2d, v3.2d, v27.2d
    st1     {v0.2d, v1.2d, v2.2d, v3.2d}, [x0]
    ret
    .size   sha512_block_ce, .-sha512_block_ce

    .section .rodata
    .align  4
// FIPS 180-4 4.2.3: K0..K79, two per 128-bit load.
.Lk512:
    .quad   0x428a2f98d728ae22, 0x7137449123ef65cd
    .quad   0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc
    .quad   0x3956c25bf348b538, 0x59f111f1b605d019
    .quad   0x923f82a4af194f9b, 0xab1c5ed5da6d8118
    .quad   0xd807aa98a3030242, 0x12835b0145706fbe
    .quad   0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2
    .quad   0x72be5d74f27b896f, 0x80deb1fe3b1696b1
    .quad   0x9bdc06a725c71235, 0xc19bf174cf692694
    .quad   0xe49b69c19ef14ad2, 0xefbe4786384f25e3
    .quad   0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65
    .quad   0x2de92c6f592b0275, 0x4a7484aa6ea6e483
    .quad   0x5cb0a9dcbd41fbd4, 0x76f988da831153b5
    .quad   0x983e5152ee66dfab, 0xa831c66d2db43210
    .quad   0xb00327c898fb213f, 0xbf597fc7beef0ee4
    .quad   0xc6e00bf33da88fc2, 0xd5a79147930aa725
    .quad   0x06ca6351e003826f, 0x142929670a0e6e70
    .quad   0x27b70a8546d22ffc, 0x2e1b21385c26c926
    .quad   0x4d2c6dfc5ac42aed, 0x53380d139d95b3df
    .quad   0x650a73548baf63de, 0x766a0abb3c77b2a8
    .quad   0x81c2c92e47edaee6, 0x92722c851482353b
    .quad   0xa2bfe8a14cf10364, 0xa81a664bbc423001
    .quad   0xc24b8b70d0f89791, 0xc76c51a30654be30
    .quad   0xd192e819d6ef5218, 0xd69906245565a910
    .quad   0xf40e35855771202a, 0x106aa07032bbd1b8
    .quad   0x19a4c116b8d2d0c8, 0x1e376c085141ab53
    .quad   0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8
    .quad   0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb
    .quad   0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3
    .quad   0x748f82ee5defb2fc, 0x78a5636f43172f60
    .quad   0x84c87814a1f0ab72, 0x8cc702081a6439ec
    .quad   0x90befffa23631e28, 0xa4506cebde82bde9
    .quad   0xbef9a3f7b2c67915, 0xc67178f2e372532b
    .quad   0xca273eceea26619c, 0xd186b8c721c0c207
    .quad   0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178
    .quad   0x06f067aa72176fba, 0x0a637dc5a2c898a6
    .quad   0x113f9804bef90dae, 0x1b710b35131c471b
    .quad   0x28db77f523047d84, 0x32caab7b40c72493
    .quad   0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c
    .quad   0x4cc5d4becb3e42b6, 0x597f299cfc657e2a
    .quad   0x5fcb6fab3ad6faec, 0x6c44198c4a475817
