// BUGGY on purpose: uses CRC32X (the ISO-HDLC polynomial) where CRC-32C needs CRC32CX.
    .arch armv8-a+crc
    .text
    .globl  crc32c_64
    .type   crc32c_64, %function
crc32c_64:
    mvn     w0, w0
    mov     x3, #8
1:  ldr     x2, [x1], #8
    crc32x  w0, w0, x2          // BUG: should be crc32cx
    subs    x3, x3, #1
    b.ne    1b
    mvn     w0, w0
    ret
    .size   crc32c_64, .-crc32c_64
