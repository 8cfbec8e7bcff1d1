// BUGGY on purpose: Rcon is doubled by a plain shift, without reduction modulo m(x), so rounds 9
// and 10 use 0x100 and 0x200 instead of 0x1b and 0x36.
// AES-128 key expansion (FIPS 197 5.2, KeyExpansion with Nk = 4) with the Armv8 AES instruction.
//
//   void aes128_expand_key_ce(const uint8_t key[16], uint8_t round_keys[176]);
//
// round_keys receives the 11 round keys w[0..43] as bytes (each word [a0, a1, a2, a3] in byte
// order), the layout aes128_encrypt_ce reads.  A 32-bit lane holds a word byte-reversed (a0 in
// bits 7:0), so RotWord is ROR #8 of the lane and Rcon[i] is XORed into the low byte.
//
// SubWord uses AESE with an all-zero round key: AESE computes SubBytes(ShiftRows(state EOR key))
// (Arm ARM AESE: AESSubBytes(AESShiftRows(operand1 EOR operand2))); with w[i-1] copied into all
// four columns ShiftRows only permutes equal bytes, so every column becomes SubWord(w[i-1]).
// Uses v0-v3 and w3-w4 only (no callee-saved registers).
    .arch armv8-a+crypto
    .text

// One step of FIPS 197 Figure 11: w[i..i+3] from w[i-4..i-1] (v0) for i = 4*r, then stored.
    .macro  expand rcon
    dup     v2.4s, v0.s[3]                      // w[i-1] in every column
    aese    v2.16b, v1.16b                      // SubWord in every column (key = 0)
    umov    w3, v2.s[0]
    mov     w4, #\rcon
    eor     w3, w4, w3, ror #8                  // temp = SubWord(RotWord(w[i-1])) XOR Rcon[i/4]
    ext     v3.16b, v1.16b, v0.16b, #12         // [0, w0, w1, w2]
    eor     v0.16b, v0.16b, v3.16b
    ext     v3.16b, v1.16b, v3.16b, #12         // [0, 0, w0, w1]
    eor     v0.16b, v0.16b, v3.16b
    ext     v3.16b, v1.16b, v3.16b, #12         // [0, 0, 0, w0]
    eor     v0.16b, v0.16b, v3.16b              // prefix XOR: [w0, w0^w1, w0^w1^w2, w0^..^w3]
    dup     v2.4s, w3
    eor     v0.16b, v0.16b, v2.16b              // w[i+j] = w[i+j-4] XOR w[i+j-1] (temp for j = 0)
    st1     {v0.16b}, [x1], #16
    .endm

    .globl  aes128_expand_key_ce
    .type   aes128_expand_key_ce, %function
aes128_expand_key_ce:
    ld1     {v0.16b}, [x0]                      // w[0..3]: the cipher key
    movi    v1.16b, #0                          // the zero round key
    st1     {v0.16b}, [x1], #16
    expand  0x01                                // Rcon[j] = x^(j-1) in GF(2^8), FIPS 197 5.2
    expand  0x02
    expand  0x04
    expand  0x08
    expand  0x10
    expand  0x20
    expand  0x40
    expand  0x80
    expand  0x100                               // BUG: x^8 not reduced (should be 0x1b)
    expand  0x200                               // BUG: x^9 not reduced (should be 0x36)
    ret
    .size   aes128_expand_key_ce, .-aes128_expand_key_ce
