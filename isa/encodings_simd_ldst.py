"""The SIMD&FP load/store encodings (Arm ARM C4.1.94): scalar B/H/S/D/Q registers and Advanced SIMD structures.

Syntax as in :mod:`isa.encodings`.  Every group name starts with "Loads and stores" so that the conformance
generator aims the base register ``Rn`` into mapped memory.  Post-index structure forms come in pairs: the
immediate form (``Rm == 11111``, the offset is the transfer size) and the register form (offset ``X[m]``).
"""

TABLE = r"""
## Loads and stores -- SIMD&FP single register, immediate offsets (C4.1.94)
STUR_B_ldst_unscaled       size=00 111 V=1 00 opc=00 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
LDUR_B_ldst_unscaled       size=00 111 V=1 00 opc=01 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
STUR_H_ldst_unscaled       size=01 111 V=1 00 opc=00 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
LDUR_H_ldst_unscaled       size=01 111 V=1 00 opc=01 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
STUR_S_ldst_unscaled       size=10 111 V=1 00 opc=00 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
LDUR_S_ldst_unscaled       size=10 111 V=1 00 opc=01 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
STUR_D_ldst_unscaled       size=11 111 V=1 00 opc=00 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
LDUR_D_ldst_unscaled       size=11 111 V=1 00 opc=01 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
STUR_Q_ldst_unscaled       size=00 111 V=1 00 opc=10 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
LDUR_Q_ldst_unscaled       size=00 111 V=1 00 opc=11 0 imm9:9 00 Rn:5 Rt:5   @FEAT_FP
STR_B_ldst_immpost         size=00 111 V=1 00 opc=00 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
LDR_B_ldst_immpost         size=00 111 V=1 00 opc=01 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
STR_H_ldst_immpost         size=01 111 V=1 00 opc=00 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
LDR_H_ldst_immpost         size=01 111 V=1 00 opc=01 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
STR_S_ldst_immpost         size=10 111 V=1 00 opc=00 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
LDR_S_ldst_immpost         size=10 111 V=1 00 opc=01 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
STR_D_ldst_immpost         size=11 111 V=1 00 opc=00 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
LDR_D_ldst_immpost         size=11 111 V=1 00 opc=01 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
STR_Q_ldst_immpost         size=00 111 V=1 00 opc=10 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
LDR_Q_ldst_immpost         size=00 111 V=1 00 opc=11 0 imm9:9 01 Rn:5 Rt:5   @FEAT_FP
STR_B_ldst_immpre          size=00 111 V=1 00 opc=00 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
LDR_B_ldst_immpre          size=00 111 V=1 00 opc=01 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
STR_H_ldst_immpre          size=01 111 V=1 00 opc=00 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
LDR_H_ldst_immpre          size=01 111 V=1 00 opc=01 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
STR_S_ldst_immpre          size=10 111 V=1 00 opc=00 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
LDR_S_ldst_immpre          size=10 111 V=1 00 opc=01 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
STR_D_ldst_immpre          size=11 111 V=1 00 opc=00 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
LDR_D_ldst_immpre          size=11 111 V=1 00 opc=01 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
STR_Q_ldst_immpre          size=00 111 V=1 00 opc=10 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
LDR_Q_ldst_immpre          size=00 111 V=1 00 opc=11 0 imm9:9 11 Rn:5 Rt:5   @FEAT_FP
STR_B_ldst_pos             size=00 111 V=1 01 opc=00 imm12:12 Rn:5 Rt:5   @FEAT_FP
LDR_B_ldst_pos             size=00 111 V=1 01 opc=01 imm12:12 Rn:5 Rt:5   @FEAT_FP
STR_H_ldst_pos             size=01 111 V=1 01 opc=00 imm12:12 Rn:5 Rt:5   @FEAT_FP
LDR_H_ldst_pos             size=01 111 V=1 01 opc=01 imm12:12 Rn:5 Rt:5   @FEAT_FP
STR_S_ldst_pos             size=10 111 V=1 01 opc=00 imm12:12 Rn:5 Rt:5   @FEAT_FP
LDR_S_ldst_pos             size=10 111 V=1 01 opc=01 imm12:12 Rn:5 Rt:5   @FEAT_FP
STR_D_ldst_pos             size=11 111 V=1 01 opc=00 imm12:12 Rn:5 Rt:5   @FEAT_FP
LDR_D_ldst_pos             size=11 111 V=1 01 opc=01 imm12:12 Rn:5 Rt:5   @FEAT_FP
STR_Q_ldst_pos             size=00 111 V=1 01 opc=10 imm12:12 Rn:5 Rt:5   @FEAT_FP
LDR_Q_ldst_pos             size=00 111 V=1 01 opc=11 imm12:12 Rn:5 Rt:5   @FEAT_FP

## Loads and stores -- SIMD&FP single register, register offset and literal (C4.1.94)
STR_B_ldst_regoff          size=00 111 V=1 00 opc=00 1 Rm:5 option:3!=011 S:1 10 Rn:5 Rt:5   @FEAT_FP
STR_BL_ldst_regoff         size=00 111 V=1 00 opc=00 1 Rm:5 option=011 S:1 10 Rn:5 Rt:5   @FEAT_FP
LDR_B_ldst_regoff          size=00 111 V=1 00 opc=01 1 Rm:5 option:3!=011 S:1 10 Rn:5 Rt:5   @FEAT_FP
LDR_BL_ldst_regoff         size=00 111 V=1 00 opc=01 1 Rm:5 option=011 S:1 10 Rn:5 Rt:5   @FEAT_FP
STR_H_ldst_regoff          size=01 111 V=1 00 opc=00 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5   @FEAT_FP
LDR_H_ldst_regoff          size=01 111 V=1 00 opc=01 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5   @FEAT_FP
STR_S_ldst_regoff          size=10 111 V=1 00 opc=00 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5   @FEAT_FP
LDR_S_ldst_regoff          size=10 111 V=1 00 opc=01 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5   @FEAT_FP
STR_D_ldst_regoff          size=11 111 V=1 00 opc=00 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5   @FEAT_FP
LDR_D_ldst_regoff          size=11 111 V=1 00 opc=01 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5   @FEAT_FP
STR_Q_ldst_regoff          size=00 111 V=1 00 opc=10 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5   @FEAT_FP
LDR_Q_ldst_regoff          size=00 111 V=1 00 opc=11 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5   @FEAT_FP
LDR_S_loadlit              opc=00 011 V=1 00 imm19:19 Rt:5   @FEAT_FP
LDR_D_loadlit              opc=01 011 V=1 00 imm19:19 Rt:5   @FEAT_FP
LDR_Q_loadlit              opc=10 011 V=1 00 imm19:19 Rt:5   @FEAT_FP

## Loads and stores -- SIMD&FP register pairs (C4.1.94)
STNP_S_ldstnapair_offs     opc=00 101 V=1 000 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDNP_S_ldstnapair_offs     opc=00 101 V=1 000 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STNP_D_ldstnapair_offs     opc=01 101 V=1 000 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDNP_D_ldstnapair_offs     opc=01 101 V=1 000 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STNP_Q_ldstnapair_offs     opc=10 101 V=1 000 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDNP_Q_ldstnapair_offs     opc=10 101 V=1 000 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STP_S_ldstpair_post        opc=00 101 V=1 001 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDP_S_ldstpair_post        opc=00 101 V=1 001 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STP_D_ldstpair_post        opc=01 101 V=1 001 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDP_D_ldstpair_post        opc=01 101 V=1 001 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STP_Q_ldstpair_post        opc=10 101 V=1 001 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDP_Q_ldstpair_post        opc=10 101 V=1 001 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STP_S_ldstpair_off         opc=00 101 V=1 010 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDP_S_ldstpair_off         opc=00 101 V=1 010 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STP_D_ldstpair_off         opc=01 101 V=1 010 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDP_D_ldstpair_off         opc=01 101 V=1 010 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STP_Q_ldstpair_off         opc=10 101 V=1 010 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDP_Q_ldstpair_off         opc=10 101 V=1 010 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STP_S_ldstpair_pre         opc=00 101 V=1 011 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDP_S_ldstpair_pre         opc=00 101 V=1 011 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STP_D_ldstpair_pre         opc=01 101 V=1 011 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDP_D_ldstpair_pre         opc=01 101 V=1 011 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
STP_Q_ldstpair_pre         opc=10 101 V=1 011 L=0 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP
LDP_Q_ldstpair_pre         opc=10 101 V=1 011 L=1 imm7:7 Rt2:5 Rn:5 Rt:5   @FEAT_FP

## Loads and stores -- SIMD&FP multiple structures (C4.1.94, Advanced SIMD load/store multiple structures)
ST4_asisdlse_R4            0 Q:1 0011000 L=0 000000 opcode=0000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlse_R4_4v         0 Q:1 0011000 L=0 000000 opcode=0010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlse_R3            0 Q:1 0011000 L=0 000000 opcode=0100 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlse_R3_3v         0 Q:1 0011000 L=0 000000 opcode=0110 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlse_R1_1v         0 Q:1 0011000 L=0 000000 opcode=0111 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlse_R2            0 Q:1 0011000 L=0 000000 opcode=1000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlse_R2_2v         0 Q:1 0011000 L=0 000000 opcode=1010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsep_I4_i         0 Q:1 0011001 L=0 0 Rm=11111 opcode=0000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsep_R4_r         0 Q:1 0011001 L=0 0 Rm:5!=11111 opcode=0000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsep_I4_i4        0 Q:1 0011001 L=0 0 Rm=11111 opcode=0010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsep_R4_r4        0 Q:1 0011001 L=0 0 Rm:5!=11111 opcode=0010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsep_I3_i         0 Q:1 0011001 L=0 0 Rm=11111 opcode=0100 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsep_R3_r         0 Q:1 0011001 L=0 0 Rm:5!=11111 opcode=0100 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsep_I3_i3        0 Q:1 0011001 L=0 0 Rm=11111 opcode=0110 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsep_R3_r3        0 Q:1 0011001 L=0 0 Rm:5!=11111 opcode=0110 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsep_I1_i1        0 Q:1 0011001 L=0 0 Rm=11111 opcode=0111 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsep_R1_r1        0 Q:1 0011001 L=0 0 Rm:5!=11111 opcode=0111 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsep_I2_i         0 Q:1 0011001 L=0 0 Rm=11111 opcode=1000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsep_R2_r         0 Q:1 0011001 L=0 0 Rm:5!=11111 opcode=1000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsep_I2_i2        0 Q:1 0011001 L=0 0 Rm=11111 opcode=1010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsep_R2_r2        0 Q:1 0011001 L=0 0 Rm:5!=11111 opcode=1010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlse_R4            0 Q:1 0011000 L=1 000000 opcode=0000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlse_R4_4v         0 Q:1 0011000 L=1 000000 opcode=0010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlse_R3            0 Q:1 0011000 L=1 000000 opcode=0100 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlse_R3_3v         0 Q:1 0011000 L=1 000000 opcode=0110 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlse_R1_1v         0 Q:1 0011000 L=1 000000 opcode=0111 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlse_R2            0 Q:1 0011000 L=1 000000 opcode=1000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlse_R2_2v         0 Q:1 0011000 L=1 000000 opcode=1010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsep_I4_i         0 Q:1 0011001 L=1 0 Rm=11111 opcode=0000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsep_R4_r         0 Q:1 0011001 L=1 0 Rm:5!=11111 opcode=0000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsep_I4_i4        0 Q:1 0011001 L=1 0 Rm=11111 opcode=0010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsep_R4_r4        0 Q:1 0011001 L=1 0 Rm:5!=11111 opcode=0010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsep_I3_i         0 Q:1 0011001 L=1 0 Rm=11111 opcode=0100 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsep_R3_r         0 Q:1 0011001 L=1 0 Rm:5!=11111 opcode=0100 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsep_I3_i3        0 Q:1 0011001 L=1 0 Rm=11111 opcode=0110 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsep_R3_r3        0 Q:1 0011001 L=1 0 Rm:5!=11111 opcode=0110 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsep_I1_i1        0 Q:1 0011001 L=1 0 Rm=11111 opcode=0111 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsep_R1_r1        0 Q:1 0011001 L=1 0 Rm:5!=11111 opcode=0111 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsep_I2_i         0 Q:1 0011001 L=1 0 Rm=11111 opcode=1000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsep_R2_r         0 Q:1 0011001 L=1 0 Rm:5!=11111 opcode=1000 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsep_I2_i2        0 Q:1 0011001 L=1 0 Rm=11111 opcode=1010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsep_R2_r2        0 Q:1 0011001 L=1 0 Rm:5!=11111 opcode=1010 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD

## Loads and stores -- SIMD&FP single structures (C4.1.94, Advanced SIMD load/store single structure)
ST1_asisdlso_B1_1b         0 Q:1 0011010 L=0 R=0 00000 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsop_B1_i1b       0 Q:1 0011011 L=0 R=0 Rm=11111 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsop_BX1_r1b      0 Q:1 0011011 L=0 R=0 Rm:5!=11111 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlso_H1_1h         0 Q:1 0011010 L=0 R=0 00000 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsop_H1_i1h       0 Q:1 0011011 L=0 R=0 Rm=11111 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsop_HX1_r1h      0 Q:1 0011011 L=0 R=0 Rm:5!=11111 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlso_S1_1s         0 Q:1 0011010 L=0 R=0 00000 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsop_S1_i1s       0 Q:1 0011011 L=0 R=0 Rm=11111 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsop_SX1_r1s      0 Q:1 0011011 L=0 R=0 Rm:5!=11111 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlso_D1_1d         0 Q:1 0011010 L=0 R=0 00000 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsop_D1_i1d       0 Q:1 0011011 L=0 R=0 Rm=11111 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST1_asisdlsop_DX1_r1d      0 Q:1 0011011 L=0 R=0 Rm:5!=11111 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlso_B2_2b         0 Q:1 0011010 L=0 R=1 00000 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsop_B2_i2b       0 Q:1 0011011 L=0 R=1 Rm=11111 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsop_BX2_r2b      0 Q:1 0011011 L=0 R=1 Rm:5!=11111 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlso_H2_2h         0 Q:1 0011010 L=0 R=1 00000 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsop_H2_i2h       0 Q:1 0011011 L=0 R=1 Rm=11111 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsop_HX2_r2h      0 Q:1 0011011 L=0 R=1 Rm:5!=11111 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlso_S2_2s         0 Q:1 0011010 L=0 R=1 00000 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsop_S2_i2s       0 Q:1 0011011 L=0 R=1 Rm=11111 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsop_SX2_r2s      0 Q:1 0011011 L=0 R=1 Rm:5!=11111 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlso_D2_2d         0 Q:1 0011010 L=0 R=1 00000 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsop_D2_i2d       0 Q:1 0011011 L=0 R=1 Rm=11111 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST2_asisdlsop_DX2_r2d      0 Q:1 0011011 L=0 R=1 Rm:5!=11111 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlso_B3_3b         0 Q:1 0011010 L=0 R=0 00000 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsop_B3_i3b       0 Q:1 0011011 L=0 R=0 Rm=11111 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsop_BX3_r3b      0 Q:1 0011011 L=0 R=0 Rm:5!=11111 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlso_H3_3h         0 Q:1 0011010 L=0 R=0 00000 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsop_H3_i3h       0 Q:1 0011011 L=0 R=0 Rm=11111 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsop_HX3_r3h      0 Q:1 0011011 L=0 R=0 Rm:5!=11111 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlso_S3_3s         0 Q:1 0011010 L=0 R=0 00000 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsop_S3_i3s       0 Q:1 0011011 L=0 R=0 Rm=11111 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsop_SX3_r3s      0 Q:1 0011011 L=0 R=0 Rm:5!=11111 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlso_D3_3d         0 Q:1 0011010 L=0 R=0 00000 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsop_D3_i3d       0 Q:1 0011011 L=0 R=0 Rm=11111 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST3_asisdlsop_DX3_r3d      0 Q:1 0011011 L=0 R=0 Rm:5!=11111 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlso_B4_4b         0 Q:1 0011010 L=0 R=1 00000 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsop_B4_i4b       0 Q:1 0011011 L=0 R=1 Rm=11111 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsop_BX4_r4b      0 Q:1 0011011 L=0 R=1 Rm:5!=11111 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlso_H4_4h         0 Q:1 0011010 L=0 R=1 00000 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsop_H4_i4h       0 Q:1 0011011 L=0 R=1 Rm=11111 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsop_HX4_r4h      0 Q:1 0011011 L=0 R=1 Rm:5!=11111 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlso_S4_4s         0 Q:1 0011010 L=0 R=1 00000 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsop_S4_i4s       0 Q:1 0011011 L=0 R=1 Rm=11111 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsop_SX4_r4s      0 Q:1 0011011 L=0 R=1 Rm:5!=11111 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlso_D4_4d         0 Q:1 0011010 L=0 R=1 00000 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsop_D4_i4d       0 Q:1 0011011 L=0 R=1 Rm=11111 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
ST4_asisdlsop_DX4_r4d      0 Q:1 0011011 L=0 R=1 Rm:5!=11111 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlso_B1_1b         0 Q:1 0011010 L=1 R=0 00000 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsop_B1_i1b       0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsop_BX1_r1b      0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlso_H1_1h         0 Q:1 0011010 L=1 R=0 00000 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsop_H1_i1h       0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsop_HX1_r1h      0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlso_S1_1s         0 Q:1 0011010 L=1 R=0 00000 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsop_S1_i1s       0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsop_SX1_r1s      0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlso_D1_1d         0 Q:1 0011010 L=1 R=0 00000 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsop_D1_i1d       0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1_asisdlsop_DX1_r1d      0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlso_B2_2b         0 Q:1 0011010 L=1 R=1 00000 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsop_B2_i2b       0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsop_BX2_r2b      0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=000 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlso_H2_2h         0 Q:1 0011010 L=1 R=1 00000 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsop_H2_i2h       0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsop_HX2_r2h      0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=010 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlso_S2_2s         0 Q:1 0011010 L=1 R=1 00000 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsop_S2_i2s       0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsop_SX2_r2s      0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=100 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlso_D2_2d         0 Q:1 0011010 L=1 R=1 00000 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsop_D2_i2d       0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2_asisdlsop_DX2_r2d      0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=100 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlso_B3_3b         0 Q:1 0011010 L=1 R=0 00000 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsop_B3_i3b       0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsop_BX3_r3b      0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlso_H3_3h         0 Q:1 0011010 L=1 R=0 00000 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsop_H3_i3h       0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsop_HX3_r3h      0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlso_S3_3s         0 Q:1 0011010 L=1 R=0 00000 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsop_S3_i3s       0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsop_SX3_r3s      0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlso_D3_3d         0 Q:1 0011010 L=1 R=0 00000 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsop_D3_i3d       0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3_asisdlsop_DX3_r3d      0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlso_B4_4b         0 Q:1 0011010 L=1 R=1 00000 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsop_B4_i4b       0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsop_BX4_r4b      0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=001 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlso_H4_4h         0 Q:1 0011010 L=1 R=1 00000 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsop_H4_i4h       0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsop_HX4_r4h      0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=011 S:1 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlso_S4_4s         0 Q:1 0011010 L=1 R=1 00000 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsop_S4_i4s       0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsop_SX4_r4s      0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=101 S:1 size=00 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlso_D4_4d         0 Q:1 0011010 L=1 R=1 00000 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsop_D4_i4d       0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4_asisdlsop_DX4_r4d      0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=101 S:1 size=01 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1R_asisdlso_R1           0 Q:1 0011010 L=1 R=0 00000 opcode=110 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1R_asisdlsop_R1_i        0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=110 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD1R_asisdlsop_RX1_r       0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=110 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2R_asisdlso_R2           0 Q:1 0011010 L=1 R=1 00000 opcode=110 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2R_asisdlsop_R2_i        0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=110 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD2R_asisdlsop_RX2_r       0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=110 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3R_asisdlso_R3           0 Q:1 0011010 L=1 R=0 00000 opcode=111 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3R_asisdlsop_R3_i        0 Q:1 0011011 L=1 R=0 Rm=11111 opcode=111 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD3R_asisdlsop_RX3_r       0 Q:1 0011011 L=1 R=0 Rm:5!=11111 opcode=111 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4R_asisdlso_R4           0 Q:1 0011010 L=1 R=1 00000 opcode=111 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4R_asisdlsop_R4_i        0 Q:1 0011011 L=1 R=1 Rm=11111 opcode=111 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
LD4R_asisdlsop_RX4_r       0 Q:1 0011011 L=1 R=1 Rm:5!=11111 opcode=111 S=0 size:2 Rn:5 Rt:5   @FEAT_AdvSIMD
"""
