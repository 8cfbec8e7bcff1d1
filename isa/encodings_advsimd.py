"""Encoding table section (see isa/encodings.py for the syntax): Advanced SIMD integer data processing.

Arm ARM C4.1.95 "Data Processing -- Scalar Floating-Point and Advanced SIMD": the integer encodings of the
Advanced SIMD groups (vector ``asimd*`` and scalar ``asisd*`` classes) and the FMOV (general) rows of
"Conversion between floating-point and integer".  Reserved size/Q combinations inside an encoding class are
rejected by the decode functions (isa/advsimd*.py), as in the Arm ARM decode pseudocode.  The modified
immediate ``cmode`` field is written bit by bit (``cmode3 cmode2 cmode1 cmode0``) so that each encoding
fixes exactly the bits the Arm ARM fixes.  PMULL (three different, opcode 1110) is in encodings_crypto.
"""

TABLE = r"""
## Advanced SIMD modified immediate (C4.1.95)
MOVI_asimdimm_L_sl  0 Q:1 op=0 0111100000 abc:3 cmode3=0 cmode2:1 cmode1:1 cmode0=0 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
ORR_asimdimm_L_sl   0 Q:1 op=0 0111100000 abc:3 cmode3=0 cmode2:1 cmode1:1 cmode0=1 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
MVNI_asimdimm_L_sl  0 Q:1 op=1 0111100000 abc:3 cmode3=0 cmode2:1 cmode1:1 cmode0=0 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
BIC_asimdimm_L_sl   0 Q:1 op=1 0111100000 abc:3 cmode3=0 cmode2:1 cmode1:1 cmode0=1 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
MOVI_asimdimm_L_hl  0 Q:1 op=0 0111100000 abc:3 cmode3=1 cmode2=0 cmode1:1 cmode0=0 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
ORR_asimdimm_L_hl   0 Q:1 op=0 0111100000 abc:3 cmode3=1 cmode2=0 cmode1:1 cmode0=1 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
MVNI_asimdimm_L_hl  0 Q:1 op=1 0111100000 abc:3 cmode3=1 cmode2=0 cmode1:1 cmode0=0 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
BIC_asimdimm_L_hl   0 Q:1 op=1 0111100000 abc:3 cmode3=1 cmode2=0 cmode1:1 cmode0=1 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
MOVI_asimdimm_M_sm  0 Q:1 op=0 0111100000 abc:3 cmode3=1 cmode2=1 cmode1=0 cmode0:1 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
MVNI_asimdimm_M_sm  0 Q:1 op=1 0111100000 abc:3 cmode3=1 cmode2=1 cmode1=0 cmode0:1 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
MOVI_asimdimm_N_b   0 Q:1 op=0 0111100000 abc:3 cmode3=1 cmode2=1 cmode1=1 cmode0=0 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
MOVI_asimdimm_D_ds  0 Q=0 op=1 0111100000 abc:3 cmode3=1 cmode2=1 cmode1=1 cmode0=0 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
MOVI_asimdimm_D2_d  0 Q=1 op=1 0111100000 abc:3 cmode3=1 cmode2=1 cmode1=1 cmode0=0 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
FMOV_asimdimm_S_s   0 Q:1 op=0 0111100000 abc:3 cmode3=1 cmode2=1 cmode1=1 cmode0=1 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
FMOV_asimdimm_D2_d  0 Q:1 op=1 0111100000 abc:3 cmode3=1 cmode2=1 cmode1=1 cmode0=1 o2=0 1 defgh:5 Rd:5  @FEAT_AdvSIMD
FMOV_asimdimm_H_h   0 Q:1 op=0 0111100000 abc:3 cmode3=1 cmode2=1 cmode1=1 cmode0=1 o2=1 1 defgh:5 Rd:5  @FEAT_FP16

## Advanced SIMD copy (C4.1.95)
DUP_asimdins_DV_v      0 Q:1 op=0 01110000 imm5:5 0 imm4=0000 1 Rn:5 Rd:5      @FEAT_AdvSIMD
DUP_asimdins_DR_r      0 Q:1 op=0 01110000 imm5:5 0 imm4=0001 1 Rn:5 Rd:5      @FEAT_AdvSIMD
SMOV_asimdins_W_w      0 Q=0 op=0 01110000 imm5:5 0 imm4=0101 1 Rn:5 Rd:5      @FEAT_AdvSIMD
SMOV_asimdins_X_x      0 Q=1 op=0 01110000 imm5:5 0 imm4=0101 1 Rn:5 Rd:5      @FEAT_AdvSIMD
UMOV_asimdins_W_w      0 Q=0 op=0 01110000 imm5:5 0 imm4=0111 1 Rn:5 Rd:5      @FEAT_AdvSIMD
UMOV_asimdins_X_x      0 Q=1 op=0 01110000 imm5:5 0 imm4=0111 1 Rn:5 Rd:5      @FEAT_AdvSIMD
INS_asimdins_IR_r      0 Q=1 op=0 01110000 imm5:5 0 imm4=0011 1 Rn:5 Rd:5      @FEAT_AdvSIMD
INS_asimdins_IV_v      0 Q=1 op=1 01110000 imm5:5 0 imm4:4 1 Rn:5 Rd:5         @FEAT_AdvSIMD

## Advanced SIMD scalar copy (C4.1.95)
DUP_asisdone_only      01 op=0 11110000 imm5:5 0 imm4=0000 1 Rn:5 Rd:5         @FEAT_AdvSIMD

## Conversion between floating-point and integer: FMOV (general) (C4.1.95)
FMOV_32H_float2int     sf=0 0 S=0 11110 ftype=11 1 rmode=00 opcode=110 000000 Rn:5 Rd:5   @FEAT_FP16
FMOV_64H_float2int     sf=1 0 S=0 11110 ftype=11 1 rmode=00 opcode=110 000000 Rn:5 Rd:5   @FEAT_FP16
FMOV_H32_float2int     sf=0 0 S=0 11110 ftype=11 1 rmode=00 opcode=111 000000 Rn:5 Rd:5   @FEAT_FP16
FMOV_H64_float2int     sf=1 0 S=0 11110 ftype=11 1 rmode=00 opcode=111 000000 Rn:5 Rd:5   @FEAT_FP16
FMOV_32S_float2int     sf=0 0 S=0 11110 ftype=00 1 rmode=00 opcode=110 000000 Rn:5 Rd:5   @FEAT_AdvSIMD
FMOV_S32_float2int     sf=0 0 S=0 11110 ftype=00 1 rmode=00 opcode=111 000000 Rn:5 Rd:5   @FEAT_AdvSIMD
FMOV_64D_float2int     sf=1 0 S=0 11110 ftype=01 1 rmode=00 opcode=110 000000 Rn:5 Rd:5   @FEAT_AdvSIMD
FMOV_D64_float2int     sf=1 0 S=0 11110 ftype=01 1 rmode=00 opcode=111 000000 Rn:5 Rd:5   @FEAT_AdvSIMD
FMOV_64VX_float2int    sf=1 0 S=0 11110 ftype=10 1 rmode=01 opcode=110 000000 Rn:5 Rd:5   @FEAT_AdvSIMD
FMOV_V64I_float2int    sf=1 0 S=0 11110 ftype=10 1 rmode=01 opcode=111 000000 Rn:5 Rd:5   @FEAT_AdvSIMD

## Advanced SIMD extract, table lookup, permute (C4.1.95)
EXT_asimdext_only      0 Q:1 101110 op2=00 0 Rm:5 0 imm4:4 0 Rn:5 Rd:5                  @FEAT_AdvSIMD
TBL_asimdtbl_L1_1      0 Q:1 001110 op2=00 0 Rm:5 0 len=00 op=0 00 Rn:5 Rd:5            @FEAT_AdvSIMD
TBL_asimdtbl_L2_2      0 Q:1 001110 op2=00 0 Rm:5 0 len=01 op=0 00 Rn:5 Rd:5            @FEAT_AdvSIMD
TBL_asimdtbl_L3_3      0 Q:1 001110 op2=00 0 Rm:5 0 len=10 op=0 00 Rn:5 Rd:5            @FEAT_AdvSIMD
TBL_asimdtbl_L4_4      0 Q:1 001110 op2=00 0 Rm:5 0 len=11 op=0 00 Rn:5 Rd:5            @FEAT_AdvSIMD
TBX_asimdtbl_L1_1      0 Q:1 001110 op2=00 0 Rm:5 0 len=00 op=1 00 Rn:5 Rd:5            @FEAT_AdvSIMD
TBX_asimdtbl_L2_2      0 Q:1 001110 op2=00 0 Rm:5 0 len=01 op=1 00 Rn:5 Rd:5            @FEAT_AdvSIMD
TBX_asimdtbl_L3_3      0 Q:1 001110 op2=00 0 Rm:5 0 len=10 op=1 00 Rn:5 Rd:5            @FEAT_AdvSIMD
TBX_asimdtbl_L4_4      0 Q:1 001110 op2=00 0 Rm:5 0 len=11 op=1 00 Rn:5 Rd:5            @FEAT_AdvSIMD
UZP1_asimdperm_only    0 Q:1 001110 size:2 0 Rm:5 0 opcode=001 10 Rn:5 Rd:5             @FEAT_AdvSIMD
TRN1_asimdperm_only    0 Q:1 001110 size:2 0 Rm:5 0 opcode=010 10 Rn:5 Rd:5             @FEAT_AdvSIMD
ZIP1_asimdperm_only    0 Q:1 001110 size:2 0 Rm:5 0 opcode=011 10 Rn:5 Rd:5             @FEAT_AdvSIMD
UZP2_asimdperm_only    0 Q:1 001110 size:2 0 Rm:5 0 opcode=101 10 Rn:5 Rd:5             @FEAT_AdvSIMD
TRN2_asimdperm_only    0 Q:1 001110 size:2 0 Rm:5 0 opcode=110 10 Rn:5 Rd:5             @FEAT_AdvSIMD
ZIP2_asimdperm_only    0 Q:1 001110 size:2 0 Rm:5 0 opcode=111 10 Rn:5 Rd:5             @FEAT_AdvSIMD

## Advanced SIMD two-register miscellaneous (C4.1.95)
REV64_asimdmisc_R      0 Q:1 U=0 01110 size:2 10000 opcode=00000 10 Rn:5 Rd:5          @FEAT_AdvSIMD
REV32_asimdmisc_R      0 Q:1 U=1 01110 size:2 10000 opcode=00000 10 Rn:5 Rd:5          @FEAT_AdvSIMD
REV16_asimdmisc_R      0 Q:1 U=0 01110 size:2 10000 opcode=00001 10 Rn:5 Rd:5          @FEAT_AdvSIMD
CNT_asimdmisc_R        0 Q:1 U=0 01110 size:2 10000 opcode=00101 10 Rn:5 Rd:5          @FEAT_AdvSIMD
NOT_asimdmisc_R        0 Q:1 U=1 01110 size=00 10000 opcode=00101 10 Rn:5 Rd:5         @FEAT_AdvSIMD
RBIT_asimdmisc_R       0 Q:1 U=1 01110 size=01 10000 opcode=00101 10 Rn:5 Rd:5         @FEAT_AdvSIMD
CMGT_asimdmisc_Z       0 Q:1 U=0 01110 size:2 10000 opcode=01000 10 Rn:5 Rd:5          @FEAT_AdvSIMD
CMGE_asimdmisc_Z       0 Q:1 U=1 01110 size:2 10000 opcode=01000 10 Rn:5 Rd:5          @FEAT_AdvSIMD
CMEQ_asimdmisc_Z       0 Q:1 U=0 01110 size:2 10000 opcode=01001 10 Rn:5 Rd:5          @FEAT_AdvSIMD
CMLE_asimdmisc_Z       0 Q:1 U=1 01110 size:2 10000 opcode=01001 10 Rn:5 Rd:5          @FEAT_AdvSIMD
CMLT_asimdmisc_Z       0 Q:1 U=0 01110 size:2 10000 opcode=01010 10 Rn:5 Rd:5          @FEAT_AdvSIMD
ABS_asimdmisc_R        0 Q:1 U=0 01110 size:2 10000 opcode=01011 10 Rn:5 Rd:5          @FEAT_AdvSIMD
NEG_asimdmisc_R        0 Q:1 U=1 01110 size:2 10000 opcode=01011 10 Rn:5 Rd:5          @FEAT_AdvSIMD
XTN_asimdmisc_N        0 Q:1 U=0 01110 size:2 10000 opcode=10010 10 Rn:5 Rd:5          @FEAT_AdvSIMD

## Advanced SIMD scalar two-register miscellaneous (C4.1.95)
CMGT_asisdmisc_Z       01 U=0 11110 size:2 10000 opcode=01000 10 Rn:5 Rd:5             @FEAT_AdvSIMD
CMGE_asisdmisc_Z       01 U=1 11110 size:2 10000 opcode=01000 10 Rn:5 Rd:5             @FEAT_AdvSIMD
CMEQ_asisdmisc_Z       01 U=0 11110 size:2 10000 opcode=01001 10 Rn:5 Rd:5             @FEAT_AdvSIMD
CMLE_asisdmisc_Z       01 U=1 11110 size:2 10000 opcode=01001 10 Rn:5 Rd:5             @FEAT_AdvSIMD
CMLT_asisdmisc_Z       01 U=0 11110 size:2 10000 opcode=01010 10 Rn:5 Rd:5             @FEAT_AdvSIMD
ABS_asisdmisc_R        01 U=0 11110 size:2 10000 opcode=01011 10 Rn:5 Rd:5             @FEAT_AdvSIMD
NEG_asisdmisc_R        01 U=1 11110 size:2 10000 opcode=01011 10 Rn:5 Rd:5             @FEAT_AdvSIMD

## Advanced SIMD across lanes (C4.1.95)
SMAXV_asimdall_only    0 Q:1 U=0 01110 size:2 11000 opcode=01010 10 Rn:5 Rd:5          @FEAT_AdvSIMD
UMAXV_asimdall_only    0 Q:1 U=1 01110 size:2 11000 opcode=01010 10 Rn:5 Rd:5          @FEAT_AdvSIMD
SMINV_asimdall_only    0 Q:1 U=0 01110 size:2 11000 opcode=11010 10 Rn:5 Rd:5          @FEAT_AdvSIMD
UMINV_asimdall_only    0 Q:1 U=1 01110 size:2 11000 opcode=11010 10 Rn:5 Rd:5          @FEAT_AdvSIMD
ADDV_asimdall_only     0 Q:1 U=0 01110 size:2 11000 opcode=11011 10 Rn:5 Rd:5          @FEAT_AdvSIMD

## Advanced SIMD scalar pairwise (C4.1.95)
ADDP_asisdpair_only    01 U=0 11110 size:2 11000 opcode=11011 10 Rn:5 Rd:5             @FEAT_AdvSIMD

## Advanced SIMD three same (C4.1.95)
SQADD_asimdsame_only   0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=00001 1 Rn:5 Rd:5          @FEAT_AdvSIMD
UQADD_asimdsame_only   0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=00001 1 Rn:5 Rd:5          @FEAT_AdvSIMD
AND_asimdsame_only     0 Q:1 U=0 01110 size=00 1 Rm:5 opcode=00011 1 Rn:5 Rd:5         @FEAT_AdvSIMD
BIC_asimdsame_only     0 Q:1 U=0 01110 size=01 1 Rm:5 opcode=00011 1 Rn:5 Rd:5         @FEAT_AdvSIMD
ORR_asimdsame_only     0 Q:1 U=0 01110 size=10 1 Rm:5 opcode=00011 1 Rn:5 Rd:5         @FEAT_AdvSIMD
ORN_asimdsame_only     0 Q:1 U=0 01110 size=11 1 Rm:5 opcode=00011 1 Rn:5 Rd:5         @FEAT_AdvSIMD
EOR_asimdsame_only     0 Q:1 U=1 01110 size=00 1 Rm:5 opcode=00011 1 Rn:5 Rd:5         @FEAT_AdvSIMD
BSL_asimdsame_only     0 Q:1 U=1 01110 size=01 1 Rm:5 opcode=00011 1 Rn:5 Rd:5         @FEAT_AdvSIMD
BIT_asimdsame_only     0 Q:1 U=1 01110 size=10 1 Rm:5 opcode=00011 1 Rn:5 Rd:5         @FEAT_AdvSIMD
BIF_asimdsame_only     0 Q:1 U=1 01110 size=11 1 Rm:5 opcode=00011 1 Rn:5 Rd:5         @FEAT_AdvSIMD
SQSUB_asimdsame_only   0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=00101 1 Rn:5 Rd:5          @FEAT_AdvSIMD
UQSUB_asimdsame_only   0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=00101 1 Rn:5 Rd:5          @FEAT_AdvSIMD
CMGT_asimdsame_only    0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=00110 1 Rn:5 Rd:5          @FEAT_AdvSIMD
CMHI_asimdsame_only    0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=00110 1 Rn:5 Rd:5          @FEAT_AdvSIMD
CMGE_asimdsame_only    0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=00111 1 Rn:5 Rd:5          @FEAT_AdvSIMD
CMHS_asimdsame_only    0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=00111 1 Rn:5 Rd:5          @FEAT_AdvSIMD
SMAX_asimdsame_only    0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=01100 1 Rn:5 Rd:5          @FEAT_AdvSIMD
UMAX_asimdsame_only    0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=01100 1 Rn:5 Rd:5          @FEAT_AdvSIMD
SMIN_asimdsame_only    0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=01101 1 Rn:5 Rd:5          @FEAT_AdvSIMD
UMIN_asimdsame_only    0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=01101 1 Rn:5 Rd:5          @FEAT_AdvSIMD
ADD_asimdsame_only     0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=10000 1 Rn:5 Rd:5          @FEAT_AdvSIMD
SUB_asimdsame_only     0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=10000 1 Rn:5 Rd:5          @FEAT_AdvSIMD
CMTST_asimdsame_only   0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=10001 1 Rn:5 Rd:5          @FEAT_AdvSIMD
CMEQ_asimdsame_only    0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=10001 1 Rn:5 Rd:5          @FEAT_AdvSIMD
MLA_asimdsame_only     0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=10010 1 Rn:5 Rd:5          @FEAT_AdvSIMD
MLS_asimdsame_only     0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=10010 1 Rn:5 Rd:5          @FEAT_AdvSIMD
MUL_asimdsame_only     0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=10011 1 Rn:5 Rd:5          @FEAT_AdvSIMD
ADDP_asimdsame_only    0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=10111 1 Rn:5 Rd:5          @FEAT_AdvSIMD

## Advanced SIMD scalar three same (C4.1.95)
SQADD_asisdsame_only   01 U=0 11110 size:2 1 Rm:5 opcode=00001 1 Rn:5 Rd:5             @FEAT_AdvSIMD
UQADD_asisdsame_only   01 U=1 11110 size:2 1 Rm:5 opcode=00001 1 Rn:5 Rd:5             @FEAT_AdvSIMD
SQSUB_asisdsame_only   01 U=0 11110 size:2 1 Rm:5 opcode=00101 1 Rn:5 Rd:5             @FEAT_AdvSIMD
UQSUB_asisdsame_only   01 U=1 11110 size:2 1 Rm:5 opcode=00101 1 Rn:5 Rd:5             @FEAT_AdvSIMD
CMGT_asisdsame_only    01 U=0 11110 size:2 1 Rm:5 opcode=00110 1 Rn:5 Rd:5             @FEAT_AdvSIMD
CMHI_asisdsame_only    01 U=1 11110 size:2 1 Rm:5 opcode=00110 1 Rn:5 Rd:5             @FEAT_AdvSIMD
CMGE_asisdsame_only    01 U=0 11110 size:2 1 Rm:5 opcode=00111 1 Rn:5 Rd:5             @FEAT_AdvSIMD
CMHS_asisdsame_only    01 U=1 11110 size:2 1 Rm:5 opcode=00111 1 Rn:5 Rd:5             @FEAT_AdvSIMD
ADD_asisdsame_only     01 U=0 11110 size:2 1 Rm:5 opcode=10000 1 Rn:5 Rd:5             @FEAT_AdvSIMD
SUB_asisdsame_only     01 U=1 11110 size:2 1 Rm:5 opcode=10000 1 Rn:5 Rd:5             @FEAT_AdvSIMD
CMTST_asisdsame_only   01 U=0 11110 size:2 1 Rm:5 opcode=10001 1 Rn:5 Rd:5             @FEAT_AdvSIMD
CMEQ_asisdsame_only    01 U=1 11110 size:2 1 Rm:5 opcode=10001 1 Rn:5 Rd:5             @FEAT_AdvSIMD

## Advanced SIMD vector x indexed element (C4.1.95)
MUL_asimdelem_R        0 Q:1 U=0 01111 size:2 L:1 M:1 Rm:4 opcode=1000 H:1 0 Rn:5 Rd:5   @FEAT_AdvSIMD
MLA_asimdelem_R        0 Q:1 U=1 01111 size:2 L:1 M:1 Rm:4 opcode=0000 H:1 0 Rn:5 Rd:5   @FEAT_AdvSIMD
MLS_asimdelem_R        0 Q:1 U=1 01111 size:2 L:1 M:1 Rm:4 opcode=0100 H:1 0 Rn:5 Rd:5   @FEAT_AdvSIMD
SMLAL_asimdelem_L      0 Q:1 U=0 01111 size:2 L:1 M:1 Rm:4 opcode=0010 H:1 0 Rn:5 Rd:5   @FEAT_AdvSIMD
UMLAL_asimdelem_L      0 Q:1 U=1 01111 size:2 L:1 M:1 Rm:4 opcode=0010 H:1 0 Rn:5 Rd:5   @FEAT_AdvSIMD
SMLSL_asimdelem_L      0 Q:1 U=0 01111 size:2 L:1 M:1 Rm:4 opcode=0110 H:1 0 Rn:5 Rd:5   @FEAT_AdvSIMD
UMLSL_asimdelem_L      0 Q:1 U=1 01111 size:2 L:1 M:1 Rm:4 opcode=0110 H:1 0 Rn:5 Rd:5   @FEAT_AdvSIMD
SMULL_asimdelem_L      0 Q:1 U=0 01111 size:2 L:1 M:1 Rm:4 opcode=1010 H:1 0 Rn:5 Rd:5   @FEAT_AdvSIMD
UMULL_asimdelem_L      0 Q:1 U=1 01111 size:2 L:1 M:1 Rm:4 opcode=1010 H:1 0 Rn:5 Rd:5   @FEAT_AdvSIMD

## Advanced SIMD three different (C4.1.95; PMULL is in encodings_crypto)
SADDL_asimddiff_L      0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=0000 00 Rn:5 Rd:5          @FEAT_AdvSIMD
UADDL_asimddiff_L      0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=0000 00 Rn:5 Rd:5          @FEAT_AdvSIMD
SADDW_asimddiff_W      0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=0001 00 Rn:5 Rd:5          @FEAT_AdvSIMD
UADDW_asimddiff_W      0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=0001 00 Rn:5 Rd:5          @FEAT_AdvSIMD
SSUBL_asimddiff_L      0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=0010 00 Rn:5 Rd:5          @FEAT_AdvSIMD
USUBL_asimddiff_L      0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=0010 00 Rn:5 Rd:5          @FEAT_AdvSIMD
SSUBW_asimddiff_W      0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=0011 00 Rn:5 Rd:5          @FEAT_AdvSIMD
USUBW_asimddiff_W      0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=0011 00 Rn:5 Rd:5          @FEAT_AdvSIMD
SMLAL_asimddiff_L      0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=1000 00 Rn:5 Rd:5          @FEAT_AdvSIMD
UMLAL_asimddiff_L      0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=1000 00 Rn:5 Rd:5          @FEAT_AdvSIMD
SMLSL_asimddiff_L      0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=1010 00 Rn:5 Rd:5          @FEAT_AdvSIMD
UMLSL_asimddiff_L      0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=1010 00 Rn:5 Rd:5          @FEAT_AdvSIMD
SMULL_asimddiff_L      0 Q:1 U=0 01110 size:2 1 Rm:5 opcode=1100 00 Rn:5 Rd:5          @FEAT_AdvSIMD
UMULL_asimddiff_L      0 Q:1 U=1 01110 size:2 1 Rm:5 opcode=1100 00 Rn:5 Rd:5          @FEAT_AdvSIMD

## Advanced SIMD shift by immediate (C4.1.95)
SSHR_asimdshf_R        0 Q:1 U=0 011110 immh:4!=0000 immb:3 opcode=00000 1 Rn:5 Rd:5   @FEAT_AdvSIMD
USHR_asimdshf_R        0 Q:1 U=1 011110 immh:4!=0000 immb:3 opcode=00000 1 Rn:5 Rd:5   @FEAT_AdvSIMD
SSRA_asimdshf_R        0 Q:1 U=0 011110 immh:4!=0000 immb:3 opcode=00010 1 Rn:5 Rd:5   @FEAT_AdvSIMD
USRA_asimdshf_R        0 Q:1 U=1 011110 immh:4!=0000 immb:3 opcode=00010 1 Rn:5 Rd:5   @FEAT_AdvSIMD
SRSHR_asimdshf_R       0 Q:1 U=0 011110 immh:4!=0000 immb:3 opcode=00100 1 Rn:5 Rd:5   @FEAT_AdvSIMD
URSHR_asimdshf_R       0 Q:1 U=1 011110 immh:4!=0000 immb:3 opcode=00100 1 Rn:5 Rd:5   @FEAT_AdvSIMD
SRSRA_asimdshf_R       0 Q:1 U=0 011110 immh:4!=0000 immb:3 opcode=00110 1 Rn:5 Rd:5   @FEAT_AdvSIMD
URSRA_asimdshf_R       0 Q:1 U=1 011110 immh:4!=0000 immb:3 opcode=00110 1 Rn:5 Rd:5   @FEAT_AdvSIMD
SRI_asimdshf_R         0 Q:1 U=1 011110 immh:4!=0000 immb:3 opcode=01000 1 Rn:5 Rd:5   @FEAT_AdvSIMD
SHL_asimdshf_R         0 Q:1 U=0 011110 immh:4!=0000 immb:3 opcode=01010 1 Rn:5 Rd:5   @FEAT_AdvSIMD
SLI_asimdshf_R         0 Q:1 U=1 011110 immh:4!=0000 immb:3 opcode=01010 1 Rn:5 Rd:5   @FEAT_AdvSIMD
SHRN_asimdshf_N        0 Q:1 U=0 011110 immh:4!=0000 immb:3 opcode=10000 1 Rn:5 Rd:5   @FEAT_AdvSIMD
RSHRN_asimdshf_N       0 Q:1 U=0 011110 immh:4!=0000 immb:3 opcode=10001 1 Rn:5 Rd:5   @FEAT_AdvSIMD
SSHLL_asimdshf_L       0 Q:1 U=0 011110 immh:4!=0000 immb:3 opcode=10100 1 Rn:5 Rd:5   @FEAT_AdvSIMD
USHLL_asimdshf_L       0 Q:1 U=1 011110 immh:4!=0000 immb:3 opcode=10100 1 Rn:5 Rd:5   @FEAT_AdvSIMD

## Advanced SIMD scalar shift by immediate (C4.1.95)
SSHR_asisdshf_R        01 U=0 111110 immh:4!=0000 immb:3 opcode=00000 1 Rn:5 Rd:5      @FEAT_AdvSIMD
USHR_asisdshf_R        01 U=1 111110 immh:4!=0000 immb:3 opcode=00000 1 Rn:5 Rd:5      @FEAT_AdvSIMD
SSRA_asisdshf_R        01 U=0 111110 immh:4!=0000 immb:3 opcode=00010 1 Rn:5 Rd:5      @FEAT_AdvSIMD
USRA_asisdshf_R        01 U=1 111110 immh:4!=0000 immb:3 opcode=00010 1 Rn:5 Rd:5      @FEAT_AdvSIMD
SRSHR_asisdshf_R       01 U=0 111110 immh:4!=0000 immb:3 opcode=00100 1 Rn:5 Rd:5      @FEAT_AdvSIMD
URSHR_asisdshf_R       01 U=1 111110 immh:4!=0000 immb:3 opcode=00100 1 Rn:5 Rd:5      @FEAT_AdvSIMD
SRSRA_asisdshf_R       01 U=0 111110 immh:4!=0000 immb:3 opcode=00110 1 Rn:5 Rd:5      @FEAT_AdvSIMD
URSRA_asisdshf_R       01 U=1 111110 immh:4!=0000 immb:3 opcode=00110 1 Rn:5 Rd:5      @FEAT_AdvSIMD
SRI_asisdshf_R         01 U=1 111110 immh:4!=0000 immb:3 opcode=01000 1 Rn:5 Rd:5      @FEAT_AdvSIMD
SHL_asisdshf_R         01 U=0 111110 immh:4!=0000 immb:3 opcode=01010 1 Rn:5 Rd:5      @FEAT_AdvSIMD
SLI_asisdshf_R         01 U=1 111110 immh:4!=0000 immb:3 opcode=01010 1 Rn:5 Rd:5      @FEAT_AdvSIMD
"""
