// CRC-32C (Castagnoli) of a 64-byte buffer with the Armv8 CRC32CX instruction.
//
//   uint32_t crc32c_64(uint32_t crc, const uint8_t data[64]);
//
// Continues from a previous result `crc` (0 for a fresh checksum), like zlib-style APIs:
// the state is the one's complement of the running value.
    .arch armv8-a+crc
    .text
    .globl  crc32c_64
    .type   crc32c_64, %function
crc32c_64:
    mvn     w0, w0              // state = ~crc
    mov     x3, #8              // 8 doublewords
1:  ldr     x2, [x1], #8
    crc32cx w0, w0, x2
    subs    x3, x3, #1
    b.ne    1b
    mvn     w0, w0              // result = ~state
    ret
    .size   crc32c_64, .-crc32c_64
