// BUGGY on purpose: CRC-32C of a 64-byte buffer one byte at a time (CRC32CB), with the loop bound off
// by one: it runs 65 times and so reads the byte just past the end of `data`.
//
//   uint32_t crc32c_64(uint32_t crc, const uint8_t data[64]);
    .arch armv8-a+crc
    .text
    .globl  crc32c_64
    .type   crc32c_64, %function
crc32c_64:
    mvn     w0, w0
    mov     x3, #65             // BUG: should be 64 bytes
1:  ldrb    w2, [x1], #1
    crc32cb w0, w0, w2
    subs    x3, x3, #1
    b.ne    1b
    mvn     w0, w0
    ret
    .size   crc32c_64, .-crc32c_64
