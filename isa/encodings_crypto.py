"""Encoding table section (see isa/encodings.py for the syntax): the cryptographic extensions and PMULL.

Arm ARM C4.1.96 (Cryptographic AES, three-/two-register SHA, three-/two-register SHA 512, four-register,
XAR) and, from "Advanced SIMD three different", PMULL/PMULL2 (opcode 1110, U=0).
"""

TABLE = r"""
## Cryptographic AES (C4.1.96)
AESE_B_cryptoaes                01001110 00 10100 0010 D=0 10 Rn:5 Rd:5                 @FEAT_AES
AESD_B_cryptoaes                01001110 00 10100 0010 D=1 10 Rn:5 Rd:5                 @FEAT_AES
AESMC_B_cryptoaes               01001110 00 10100 0011 D=0 10 Rn:5 Rd:5                 @FEAT_AES
AESIMC_B_cryptoaes              01001110 00 10100 0011 D=1 10 Rn:5 Rd:5                 @FEAT_AES

## Cryptographic three-register SHA (C4.1.96)
SHA1C_QSV_cryptosha3            01011110 00 0 Rm:5 0 opcode=000 00 Rn:5 Rd:5            @FEAT_SHA1
SHA1P_QSV_cryptosha3            01011110 00 0 Rm:5 0 opcode=001 00 Rn:5 Rd:5            @FEAT_SHA1
SHA1M_QSV_cryptosha3            01011110 00 0 Rm:5 0 opcode=010 00 Rn:5 Rd:5            @FEAT_SHA1
SHA1SU0_VVV_cryptosha3          01011110 00 0 Rm:5 0 opcode=011 00 Rn:5 Rd:5            @FEAT_SHA1
SHA256H_QQV_cryptosha3          01011110 00 0 Rm:5 0 opcode=100 00 Rn:5 Rd:5            @FEAT_SHA256
SHA256H2_QQV_cryptosha3         01011110 00 0 Rm:5 0 opcode=101 00 Rn:5 Rd:5            @FEAT_SHA256
SHA256SU1_VVV_cryptosha3        01011110 00 0 Rm:5 0 opcode=110 00 Rn:5 Rd:5            @FEAT_SHA256

## Cryptographic two-register SHA (C4.1.96)
SHA1H_SS_cryptosha2             01011110 00 10100 00000 10 Rn:5 Rd:5                    @FEAT_SHA1
SHA1SU1_VV_cryptosha2           01011110 00 10100 00001 10 Rn:5 Rd:5                    @FEAT_SHA1
SHA256SU0_VV_cryptosha2         01011110 00 10100 00010 10 Rn:5 Rd:5                    @FEAT_SHA256

## Cryptographic three-register SHA 512 (C4.1.96)
SHA512H_QQV_cryptosha512_3      11001110 011 Rm:5 1 0 00 00 Rn:5 Rd:5                   @FEAT_SHA512
SHA512H2_QQV_cryptosha512_3     11001110 011 Rm:5 1 0 00 01 Rn:5 Rd:5                   @FEAT_SHA512
SHA512SU1_VVV2_cryptosha512_3   11001110 011 Rm:5 1 0 00 10 Rn:5 Rd:5                   @FEAT_SHA512
RAX1_VVV2_cryptosha512_3        11001110 011 Rm:5 1 0 00 11 Rn:5 Rd:5                   @FEAT_SHA3

## Cryptographic two-register SHA 512 (C4.1.96)
SHA512SU0_VV2_cryptosha512_2    11001110 11000000 1000 00 Rn:5 Rd:5                     @FEAT_SHA512

## Cryptographic four-register (C4.1.96)
EOR3_VVV16_crypto4              11001110 0 Op0=00 Rm:5 0 Ra:5 Rn:5 Rd:5                 @FEAT_SHA3
BCAX_VVV16_crypto4              11001110 0 Op0=01 Rm:5 0 Ra:5 Rn:5 Rd:5                 @FEAT_SHA3

## XAR (C4.1.96)
XAR_VVV2_crypto3_imm6           11001110 100 Rm:5 imm6:6 Rn:5 Rd:5                      @FEAT_SHA3

## Advanced SIMD three different: PMULL, PMULL2 (64-bit elements: FEAT_PMULL)
PMULL_asimddiff_L               0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=1110 00 Rn:5 Rd:5   @FEAT_PMULL
"""
