// AES-128 encryption of one block with the Armv8 AES instructions (AESE + AESMC).
//
//   void aes128_encrypt_ce(const uint8_t round_keys[176], const uint8_t in[16], uint8_t out[16]);
//
// round_keys holds the 11 expanded round keys as bytes (FIPS 197 key schedule, w[0..43] in order).
    .arch armv8-a+crypto
    .text
    .globl  aes128_encrypt_ce
    .type   aes128_encrypt_ce, %function
aes128_encrypt_ce:
    ld1     {v0.16b}, [x1]
    ld1     {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64
    ld1     {v20.16b, v21.16b, v22.16b, v23.16b}, [x0], #64
    ld1     {v24.16b, v25.16b, v26.16b}, [x0]
    aese    v0.16b, v16.16b
    aesmc   v0.16b, v0.16b
    aese    v0.16b, v17.16b
    aesmc   v0.16b, v0.16b
    aese    v0.16b, v18.16b
    aesmc   v0.16b, v0.16b
    aese    v0.16b, v19.16b
    aesmc   v0.16b, v0.16b
    aese    v0.16b, v20.16b
    aesmc   v0.16b, v0.16b
    aese    v0.16b, v21.16b
    aesmc   v0.16b, v0.16b
    aese    v0.16b, v22.16b
    aesmc   v0.16b, v0.16b
    aese    v0.16b, v23.16b
    aesmc   v0.16b, v0.16b
    aese    v0.16b, v24.16b
    aesmc   v0.16b, v0.16b
    aese    v0.16b, v25.16b             // last round: no MixColumns
    eor     v0.16b, v0.16b, v26.16b
    st1     {v0.16b}, [x2]
    ret
    .size   aes128_encrypt_ce, .-aes128_encrypt_ce
