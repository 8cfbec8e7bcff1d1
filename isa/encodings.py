"""The A64 encoding table: every base-ISA encoding lnsym decodes, as one file of bit patterns.

Names are the Arm ARM encoding identifiers (``<MNEMONIC>_<variant>_<class>``).  Syntax is described in
:mod:`isa.decoder`: literal bits, ``field:width``, ``field=fixed-bits``, ``field:width!=excluded``, and
``>OTHER`` when a pattern is a deliberately more specific case of ``OTHER``.  Fields are listed most
significant first; every line covers bits 31..0.
"""

TABLE = r"""
## Data processing -- immediate (Arm ARM C4.1.92)
ADR_only_pcreladdr       op=0 immlo:2 10000 immhi:19 Rd:5
ADRP_only_pcreladdr      op=1 immlo:2 10000 immhi:19 Rd:5
ADD_32_addsub_imm        sf=0 op=0 S=0 100010 sh:1 imm12:12 Rn:5 Rd:5
ADDS_32S_addsub_imm      sf=0 op=0 S=1 100010 sh:1 imm12:12 Rn:5 Rd:5
SUB_32_addsub_imm        sf=0 op=1 S=0 100010 sh:1 imm12:12 Rn:5 Rd:5
SUBS_32S_addsub_imm      sf=0 op=1 S=1 100010 sh:1 imm12:12 Rn:5 Rd:5
ADD_64_addsub_imm        sf=1 op=0 S=0 100010 sh:1 imm12:12 Rn:5 Rd:5
ADDS_64S_addsub_imm      sf=1 op=0 S=1 100010 sh:1 imm12:12 Rn:5 Rd:5
SUB_64_addsub_imm        sf=1 op=1 S=0 100010 sh:1 imm12:12 Rn:5 Rd:5
SUBS_64S_addsub_imm      sf=1 op=1 S=1 100010 sh:1 imm12:12 Rn:5 Rd:5
AND_32_log_imm           sf=0 opc=00 100100 N=0 immr:6 imms:6 Rn:5 Rd:5
ORR_32_log_imm           sf=0 opc=01 100100 N=0 immr:6 imms:6 Rn:5 Rd:5
EOR_32_log_imm           sf=0 opc=10 100100 N=0 immr:6 imms:6 Rn:5 Rd:5
ANDS_32S_log_imm         sf=0 opc=11 100100 N=0 immr:6 imms:6 Rn:5 Rd:5
AND_64_log_imm           sf=1 opc=00 100100 N:1 immr:6 imms:6 Rn:5 Rd:5
ORR_64_log_imm           sf=1 opc=01 100100 N:1 immr:6 imms:6 Rn:5 Rd:5
EOR_64_log_imm           sf=1 opc=10 100100 N:1 immr:6 imms:6 Rn:5 Rd:5
ANDS_64S_log_imm         sf=1 opc=11 100100 N:1 immr:6 imms:6 Rn:5 Rd:5
MOVN_32_movewide         sf=0 opc=00 100101 hw:2 imm16:16 Rd:5
MOVZ_32_movewide         sf=0 opc=10 100101 hw:2 imm16:16 Rd:5
MOVK_32_movewide         sf=0 opc=11 100101 hw:2 imm16:16 Rd:5
MOVN_64_movewide         sf=1 opc=00 100101 hw:2 imm16:16 Rd:5
MOVZ_64_movewide         sf=1 opc=10 100101 hw:2 imm16:16 Rd:5
MOVK_64_movewide         sf=1 opc=11 100101 hw:2 imm16:16 Rd:5
SBFM_32M_bitfield        sf=0 opc=00 100110 N=0 immr:6 imms:6 Rn:5 Rd:5
BFM_32M_bitfield         sf=0 opc=01 100110 N=0 immr:6 imms:6 Rn:5 Rd:5
UBFM_32M_bitfield        sf=0 opc=10 100110 N=0 immr:6 imms:6 Rn:5 Rd:5
SBFM_64M_bitfield        sf=1 opc=00 100110 N=1 immr:6 imms:6 Rn:5 Rd:5
BFM_64M_bitfield         sf=1 opc=01 100110 N=1 immr:6 imms:6 Rn:5 Rd:5
UBFM_64M_bitfield        sf=1 opc=10 100110 N=1 immr:6 imms:6 Rn:5 Rd:5
EXTR_32_extract          sf=0 00 100111 N=0 0 Rm:5 imms:6 Rn:5 Rd:5
EXTR_64_extract          sf=1 00 100111 N=1 0 Rm:5 imms:6 Rn:5 Rd:5

## Branches, exception generating and system instructions (C4.1.93)
B_only_condbranch        0101010 0 imm19:19 0 cond:4
SVC_EX_exception         11010100 000 imm16:16 000 01
BRK_EX_exception         11010100 001 imm16:16 000 00
HLT_EX_exception         11010100 010 imm16:16 000 00
UDF_only_perm_undef      0000000000000000 imm16:16
HINT_HM_hints            1101010100 0 00 011 0010 CRm:4 op2:3 11111
NOP_HI_hints             1101010100 0 00 011 0010 0000 000 11111   >HINT_HM_hints
YIELD_HI_hints           1101010100 0 00 011 0010 0000 001 11111   >HINT_HM_hints
WFE_HI_hints             1101010100 0 00 011 0010 0000 010 11111   >HINT_HM_hints
WFI_HI_hints             1101010100 0 00 011 0010 0000 011 11111   >HINT_HM_hints
SEV_HI_hints             1101010100 0 00 011 0010 0000 100 11111   >HINT_HM_hints
SEVL_HI_hints            1101010100 0 00 011 0010 0000 101 11111   >HINT_HM_hints
XPACLRI_HI_hints         1101010100 0 00 011 0010 0000 111 11111   >HINT_HM_hints   @FEAT_PAuth
PACIA1716_HI_hints       1101010100 0 00 011 0010 0001 000 11111   >HINT_HM_hints   @FEAT_PAuth
PACIB1716_HI_hints       1101010100 0 00 011 0010 0001 010 11111   >HINT_HM_hints   @FEAT_PAuth
AUTIA1716_HI_hints       1101010100 0 00 011 0010 0001 100 11111   >HINT_HM_hints   @FEAT_PAuth
AUTIB1716_HI_hints       1101010100 0 00 011 0010 0001 110 11111   >HINT_HM_hints   @FEAT_PAuth
PACIAZ_HI_hints          1101010100 0 00 011 0010 0011 000 11111   >HINT_HM_hints   @FEAT_PAuth
PACIASP_HI_hints         1101010100 0 00 011 0010 0011 001 11111   >HINT_HM_hints   @FEAT_PAuth
PACIBZ_HI_hints          1101010100 0 00 011 0010 0011 010 11111   >HINT_HM_hints   @FEAT_PAuth
PACIBSP_HI_hints         1101010100 0 00 011 0010 0011 011 11111   >HINT_HM_hints   @FEAT_PAuth
AUTIAZ_HI_hints          1101010100 0 00 011 0010 0011 100 11111   >HINT_HM_hints   @FEAT_PAuth
AUTIASP_HI_hints         1101010100 0 00 011 0010 0011 101 11111   >HINT_HM_hints   @FEAT_PAuth
AUTIBZ_HI_hints          1101010100 0 00 011 0010 0011 110 11111   >HINT_HM_hints   @FEAT_PAuth
AUTIBSP_HI_hints         1101010100 0 00 011 0010 0011 111 11111   >HINT_HM_hints   @FEAT_PAuth
BTI_HB_hints             1101010100 0 00 011 0010 0100 op2:2 0 11111   >HINT_HM_hints   @FEAT_BTI
CLREX_BN_barriers        1101010100 0 00 011 0011 CRm:4 010 11111
DSB_BO_barriers          1101010100 0 00 011 0011 CRm:4 100 11111
DMB_BO_barriers          1101010100 0 00 011 0011 CRm:4 101 11111
ISB_BI_barriers          1101010100 0 00 011 0011 CRm:4 110 11111
MSR_SR_systemmove        1101010100 L=0 1 o0:1 op1:3 CRn:4 CRm:4 op2:3 Rt:5
MRS_RS_systemmove        1101010100 L=1 1 o0:1 op1:3 CRn:4 CRm:4 op2:3 Rt:5
BR_64_branch_reg         1101011 opc=0000 11111 000000 Rn:5 00000
BLR_64_branch_reg        1101011 opc=0001 11111 000000 Rn:5 00000
RET_64R_branch_reg       1101011 opc=0010 11111 000000 Rn:5 00000
B_only_branch_imm        op=0 00101 imm26:26
BL_only_branch_imm       op=1 00101 imm26:26
CBZ_32_compbranch        sf=0 011010 op=0 imm19:19 Rt:5
CBNZ_32_compbranch       sf=0 011010 op=1 imm19:19 Rt:5
CBZ_64_compbranch        sf=1 011010 op=0 imm19:19 Rt:5
CBNZ_64_compbranch       sf=1 011010 op=1 imm19:19 Rt:5
TBZ_only_testbranch      b5:1 011011 op=0 b40:5 imm14:14 Rt:5
TBNZ_only_testbranch     b5:1 011011 op=1 b40:5 imm14:14 Rt:5

## Loads and stores -- exclusive and ordered (C4.1.94)
STXRB_SR32_ldstexcl      size=00 001000 o2=0 L=0 o1=0 Rs:5 o0=0 11111 Rn:5 Rt:5
STLXRB_SR32_ldstexcl     size=00 001000 o2=0 L=0 o1=0 Rs:5 o0=1 11111 Rn:5 Rt:5
LDXRB_LR32_ldstexcl      size=00 001000 o2=0 L=1 o1=0 11111 o0=0 11111 Rn:5 Rt:5
LDAXRB_LR32_ldstexcl     size=00 001000 o2=0 L=1 o1=0 11111 o0=1 11111 Rn:5 Rt:5
STXRH_SR32_ldstexcl      size=01 001000 o2=0 L=0 o1=0 Rs:5 o0=0 11111 Rn:5 Rt:5
STLXRH_SR32_ldstexcl     size=01 001000 o2=0 L=0 o1=0 Rs:5 o0=1 11111 Rn:5 Rt:5
LDXRH_LR32_ldstexcl      size=01 001000 o2=0 L=1 o1=0 11111 o0=0 11111 Rn:5 Rt:5
LDAXRH_LR32_ldstexcl     size=01 001000 o2=0 L=1 o1=0 11111 o0=1 11111 Rn:5 Rt:5
STXR_SR32_ldstexcl       size=10 001000 o2=0 L=0 o1=0 Rs:5 o0=0 11111 Rn:5 Rt:5
STLXR_SR32_ldstexcl      size=10 001000 o2=0 L=0 o1=0 Rs:5 o0=1 11111 Rn:5 Rt:5
LDXR_LR32_ldstexcl       size=10 001000 o2=0 L=1 o1=0 11111 o0=0 11111 Rn:5 Rt:5
LDAXR_LR32_ldstexcl      size=10 001000 o2=0 L=1 o1=0 11111 o0=1 11111 Rn:5 Rt:5
STXR_SR64_ldstexcl       size=11 001000 o2=0 L=0 o1=0 Rs:5 o0=0 11111 Rn:5 Rt:5
STLXR_SR64_ldstexcl      size=11 001000 o2=0 L=0 o1=0 Rs:5 o0=1 11111 Rn:5 Rt:5
LDXR_LR64_ldstexcl       size=11 001000 o2=0 L=1 o1=0 11111 o0=0 11111 Rn:5 Rt:5
LDAXR_LR64_ldstexcl      size=11 001000 o2=0 L=1 o1=0 11111 o0=1 11111 Rn:5 Rt:5
STXP_SP32_ldstexcl       size=10 001000 o2=0 L=0 o1=1 Rs:5 o0=0 Rt2:5 Rn:5 Rt:5
STLXP_SP32_ldstexcl      size=10 001000 o2=0 L=0 o1=1 Rs:5 o0=1 Rt2:5 Rn:5 Rt:5
LDXP_LP32_ldstexcl       size=10 001000 o2=0 L=1 o1=1 11111 o0=0 Rt2:5 Rn:5 Rt:5
LDAXP_LP32_ldstexcl      size=10 001000 o2=0 L=1 o1=1 11111 o0=1 Rt2:5 Rn:5 Rt:5
STXP_SP64_ldstexcl       size=11 001000 o2=0 L=0 o1=1 Rs:5 o0=0 Rt2:5 Rn:5 Rt:5
STLXP_SP64_ldstexcl      size=11 001000 o2=0 L=0 o1=1 Rs:5 o0=1 Rt2:5 Rn:5 Rt:5
LDXP_LP64_ldstexcl       size=11 001000 o2=0 L=1 o1=1 11111 o0=0 Rt2:5 Rn:5 Rt:5
LDAXP_LP64_ldstexcl      size=11 001000 o2=0 L=1 o1=1 11111 o0=1 Rt2:5 Rn:5 Rt:5
STLRB_SL32_ldstexcl      size=00 001000 o2=1 L=0 o1=0 11111 o0=1 11111 Rn:5 Rt:5
LDARB_LR32_ldstexcl      size=00 001000 o2=1 L=1 o1=0 11111 o0=1 11111 Rn:5 Rt:5
STLRH_SL32_ldstexcl      size=01 001000 o2=1 L=0 o1=0 11111 o0=1 11111 Rn:5 Rt:5
LDARH_LR32_ldstexcl      size=01 001000 o2=1 L=1 o1=0 11111 o0=1 11111 Rn:5 Rt:5
STLR_SL32_ldstexcl       size=10 001000 o2=1 L=0 o1=0 11111 o0=1 11111 Rn:5 Rt:5
LDAR_LR32_ldstexcl       size=10 001000 o2=1 L=1 o1=0 11111 o0=1 11111 Rn:5 Rt:5
STLR_SL64_ldstexcl       size=11 001000 o2=1 L=0 o1=0 11111 o0=1 11111 Rn:5 Rt:5
LDAR_LR64_ldstexcl       size=11 001000 o2=1 L=1 o1=0 11111 o0=1 11111 Rn:5 Rt:5

## Loads and stores -- literal, pairs (C4.1.94)
LDR_32_loadlit           opc=00 011 V=0 00 imm19:19 Rt:5
LDR_64_loadlit           opc=01 011 V=0 00 imm19:19 Rt:5
LDRSW_64_loadlit         opc=10 011 V=0 00 imm19:19 Rt:5
PRFM_P_loadlit           opc=11 011 V=0 00 imm19:19 Rt:5
STNP_32_ldstnapair_offs  opc=00 101 V=0 000 L=0 imm7:7 Rt2:5 Rn:5 Rt:5
LDNP_32_ldstnapair_offs  opc=00 101 V=0 000 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
STNP_64_ldstnapair_offs  opc=10 101 V=0 000 L=0 imm7:7 Rt2:5 Rn:5 Rt:5
LDNP_64_ldstnapair_offs  opc=10 101 V=0 000 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
STP_32_ldstpair_post     opc=00 101 V=0 001 L=0 imm7:7 Rt2:5 Rn:5 Rt:5
LDP_32_ldstpair_post     opc=00 101 V=0 001 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
LDPSW_64_ldstpair_post   opc=01 101 V=0 001 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
STP_64_ldstpair_post     opc=10 101 V=0 001 L=0 imm7:7 Rt2:5 Rn:5 Rt:5
LDP_64_ldstpair_post     opc=10 101 V=0 001 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
STP_32_ldstpair_off      opc=00 101 V=0 010 L=0 imm7:7 Rt2:5 Rn:5 Rt:5
LDP_32_ldstpair_off      opc=00 101 V=0 010 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
LDPSW_64_ldstpair_off    opc=01 101 V=0 010 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
STP_64_ldstpair_off      opc=10 101 V=0 010 L=0 imm7:7 Rt2:5 Rn:5 Rt:5
LDP_64_ldstpair_off      opc=10 101 V=0 010 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
STP_32_ldstpair_pre      opc=00 101 V=0 011 L=0 imm7:7 Rt2:5 Rn:5 Rt:5
LDP_32_ldstpair_pre      opc=00 101 V=0 011 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
LDPSW_64_ldstpair_pre    opc=01 101 V=0 011 L=1 imm7:7 Rt2:5 Rn:5 Rt:5
STP_64_ldstpair_pre      opc=10 101 V=0 011 L=0 imm7:7 Rt2:5 Rn:5 Rt:5
LDP_64_ldstpair_pre      opc=10 101 V=0 011 L=1 imm7:7 Rt2:5 Rn:5 Rt:5

## Loads and stores -- single register, immediate offsets (C4.1.94)
STURB_32_ldst_unscaled   size=00 111 V=0 00 opc=00 0 imm9:9 00 Rn:5 Rt:5
LDURB_32_ldst_unscaled   size=00 111 V=0 00 opc=01 0 imm9:9 00 Rn:5 Rt:5
LDURSB_64_ldst_unscaled  size=00 111 V=0 00 opc=10 0 imm9:9 00 Rn:5 Rt:5
LDURSB_32_ldst_unscaled  size=00 111 V=0 00 opc=11 0 imm9:9 00 Rn:5 Rt:5
STURH_32_ldst_unscaled   size=01 111 V=0 00 opc=00 0 imm9:9 00 Rn:5 Rt:5
LDURH_32_ldst_unscaled   size=01 111 V=0 00 opc=01 0 imm9:9 00 Rn:5 Rt:5
LDURSH_64_ldst_unscaled  size=01 111 V=0 00 opc=10 0 imm9:9 00 Rn:5 Rt:5
LDURSH_32_ldst_unscaled  size=01 111 V=0 00 opc=11 0 imm9:9 00 Rn:5 Rt:5
STUR_32_ldst_unscaled    size=10 111 V=0 00 opc=00 0 imm9:9 00 Rn:5 Rt:5
LDUR_32_ldst_unscaled    size=10 111 V=0 00 opc=01 0 imm9:9 00 Rn:5 Rt:5
LDURSW_64_ldst_unscaled  size=10 111 V=0 00 opc=10 0 imm9:9 00 Rn:5 Rt:5
STUR_64_ldst_unscaled    size=11 111 V=0 00 opc=00 0 imm9:9 00 Rn:5 Rt:5
LDUR_64_ldst_unscaled    size=11 111 V=0 00 opc=01 0 imm9:9 00 Rn:5 Rt:5
PRFUM_P_ldst_unscaled    size=11 111 V=0 00 opc=10 0 imm9:9 00 Rn:5 Rt:5
STRB_32_ldst_immpost     size=00 111 V=0 00 opc=00 0 imm9:9 01 Rn:5 Rt:5
LDRB_32_ldst_immpost     size=00 111 V=0 00 opc=01 0 imm9:9 01 Rn:5 Rt:5
LDRSB_64_ldst_immpost    size=00 111 V=0 00 opc=10 0 imm9:9 01 Rn:5 Rt:5
LDRSB_32_ldst_immpost    size=00 111 V=0 00 opc=11 0 imm9:9 01 Rn:5 Rt:5
STRH_32_ldst_immpost     size=01 111 V=0 00 opc=00 0 imm9:9 01 Rn:5 Rt:5
LDRH_32_ldst_immpost     size=01 111 V=0 00 opc=01 0 imm9:9 01 Rn:5 Rt:5
LDRSH_64_ldst_immpost    size=01 111 V=0 00 opc=10 0 imm9:9 01 Rn:5 Rt:5
LDRSH_32_ldst_immpost    size=01 111 V=0 00 opc=11 0 imm9:9 01 Rn:5 Rt:5
STR_32_ldst_immpost      size=10 111 V=0 00 opc=00 0 imm9:9 01 Rn:5 Rt:5
LDR_32_ldst_immpost      size=10 111 V=0 00 opc=01 0 imm9:9 01 Rn:5 Rt:5
LDRSW_64_ldst_immpost    size=10 111 V=0 00 opc=10 0 imm9:9 01 Rn:5 Rt:5
STR_64_ldst_immpost      size=11 111 V=0 00 opc=00 0 imm9:9 01 Rn:5 Rt:5
LDR_64_ldst_immpost      size=11 111 V=0 00 opc=01 0 imm9:9 01 Rn:5 Rt:5
STTRB_32_ldst_unpriv     size=00 111 V=0 00 opc=00 0 imm9:9 10 Rn:5 Rt:5
LDTRB_32_ldst_unpriv     size=00 111 V=0 00 opc=01 0 imm9:9 10 Rn:5 Rt:5
LDTRSB_64_ldst_unpriv    size=00 111 V=0 00 opc=10 0 imm9:9 10 Rn:5 Rt:5
LDTRSB_32_ldst_unpriv    size=00 111 V=0 00 opc=11 0 imm9:9 10 Rn:5 Rt:5
STTRH_32_ldst_unpriv     size=01 111 V=0 00 opc=00 0 imm9:9 10 Rn:5 Rt:5
LDTRH_32_ldst_unpriv     size=01 111 V=0 00 opc=01 0 imm9:9 10 Rn:5 Rt:5
LDTRSH_64_ldst_unpriv    size=01 111 V=0 00 opc=10 0 imm9:9 10 Rn:5 Rt:5
LDTRSH_32_ldst_unpriv    size=01 111 V=0 00 opc=11 0 imm9:9 10 Rn:5 Rt:5
STTR_32_ldst_unpriv      size=10 111 V=0 00 opc=00 0 imm9:9 10 Rn:5 Rt:5
LDTR_32_ldst_unpriv      size=10 111 V=0 00 opc=01 0 imm9:9 10 Rn:5 Rt:5
LDTRSW_64_ldst_unpriv    size=10 111 V=0 00 opc=10 0 imm9:9 10 Rn:5 Rt:5
STTR_64_ldst_unpriv      size=11 111 V=0 00 opc=00 0 imm9:9 10 Rn:5 Rt:5
LDTR_64_ldst_unpriv      size=11 111 V=0 00 opc=01 0 imm9:9 10 Rn:5 Rt:5
STRB_32_ldst_immpre      size=00 111 V=0 00 opc=00 0 imm9:9 11 Rn:5 Rt:5
LDRB_32_ldst_immpre      size=00 111 V=0 00 opc=01 0 imm9:9 11 Rn:5 Rt:5
LDRSB_64_ldst_immpre     size=00 111 V=0 00 opc=10 0 imm9:9 11 Rn:5 Rt:5
LDRSB_32_ldst_immpre     size=00 111 V=0 00 opc=11 0 imm9:9 11 Rn:5 Rt:5
STRH_32_ldst_immpre      size=01 111 V=0 00 opc=00 0 imm9:9 11 Rn:5 Rt:5
LDRH_32_ldst_immpre      size=01 111 V=0 00 opc=01 0 imm9:9 11 Rn:5 Rt:5
LDRSH_64_ldst_immpre     size=01 111 V=0 00 opc=10 0 imm9:9 11 Rn:5 Rt:5
LDRSH_32_ldst_immpre     size=01 111 V=0 00 opc=11 0 imm9:9 11 Rn:5 Rt:5
STR_32_ldst_immpre       size=10 111 V=0 00 opc=00 0 imm9:9 11 Rn:5 Rt:5
LDR_32_ldst_immpre       size=10 111 V=0 00 opc=01 0 imm9:9 11 Rn:5 Rt:5
LDRSW_64_ldst_immpre     size=10 111 V=0 00 opc=10 0 imm9:9 11 Rn:5 Rt:5
STR_64_ldst_immpre       size=11 111 V=0 00 opc=00 0 imm9:9 11 Rn:5 Rt:5
LDR_64_ldst_immpre       size=11 111 V=0 00 opc=01 0 imm9:9 11 Rn:5 Rt:5
STRB_32_ldst_pos         size=00 111 V=0 01 opc=00 imm12:12 Rn:5 Rt:5
LDRB_32_ldst_pos         size=00 111 V=0 01 opc=01 imm12:12 Rn:5 Rt:5
LDRSB_64_ldst_pos        size=00 111 V=0 01 opc=10 imm12:12 Rn:5 Rt:5
LDRSB_32_ldst_pos        size=00 111 V=0 01 opc=11 imm12:12 Rn:5 Rt:5
STRH_32_ldst_pos         size=01 111 V=0 01 opc=00 imm12:12 Rn:5 Rt:5
LDRH_32_ldst_pos         size=01 111 V=0 01 opc=01 imm12:12 Rn:5 Rt:5
LDRSH_64_ldst_pos        size=01 111 V=0 01 opc=10 imm12:12 Rn:5 Rt:5
LDRSH_32_ldst_pos        size=01 111 V=0 01 opc=11 imm12:12 Rn:5 Rt:5
STR_32_ldst_pos          size=10 111 V=0 01 opc=00 imm12:12 Rn:5 Rt:5
LDR_32_ldst_pos          size=10 111 V=0 01 opc=01 imm12:12 Rn:5 Rt:5
LDRSW_64_ldst_pos        size=10 111 V=0 01 opc=10 imm12:12 Rn:5 Rt:5
STR_64_ldst_pos          size=11 111 V=0 01 opc=00 imm12:12 Rn:5 Rt:5
LDR_64_ldst_pos          size=11 111 V=0 01 opc=01 imm12:12 Rn:5 Rt:5
PRFM_P_ldst_pos          size=11 111 V=0 01 opc=10 imm12:12 Rn:5 Rt:5

## Loads and stores -- single register, register offset (C4.1.94)
STRB_32B_ldst_regoff     size=00 111 V=0 00 opc=00 1 Rm:5 option:3!=011 S:1 10 Rn:5 Rt:5
STRB_32BL_ldst_regoff    size=00 111 V=0 00 opc=00 1 Rm:5 option=011 S:1 10 Rn:5 Rt:5
LDRB_32B_ldst_regoff     size=00 111 V=0 00 opc=01 1 Rm:5 option:3!=011 S:1 10 Rn:5 Rt:5
LDRB_32BL_ldst_regoff    size=00 111 V=0 00 opc=01 1 Rm:5 option=011 S:1 10 Rn:5 Rt:5
LDRSB_64B_ldst_regoff    size=00 111 V=0 00 opc=10 1 Rm:5 option:3!=011 S:1 10 Rn:5 Rt:5
LDRSB_64BL_ldst_regoff   size=00 111 V=0 00 opc=10 1 Rm:5 option=011 S:1 10 Rn:5 Rt:5
LDRSB_32B_ldst_regoff    size=00 111 V=0 00 opc=11 1 Rm:5 option:3!=011 S:1 10 Rn:5 Rt:5
LDRSB_32BL_ldst_regoff   size=00 111 V=0 00 opc=11 1 Rm:5 option=011 S:1 10 Rn:5 Rt:5
STRH_32_ldst_regoff      size=01 111 V=0 00 opc=00 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5
LDRH_32_ldst_regoff      size=01 111 V=0 00 opc=01 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5
LDRSH_64_ldst_regoff     size=01 111 V=0 00 opc=10 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5
LDRSH_32_ldst_regoff     size=01 111 V=0 00 opc=11 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5
STR_32_ldst_regoff       size=10 111 V=0 00 opc=00 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5
LDR_32_ldst_regoff       size=10 111 V=0 00 opc=01 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5
LDRSW_64_ldst_regoff     size=10 111 V=0 00 opc=10 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5
STR_64_ldst_regoff       size=11 111 V=0 00 opc=00 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5
LDR_64_ldst_regoff       size=11 111 V=0 00 opc=01 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5
PRFM_P_ldst_regoff       size=11 111 V=0 00 opc=10 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5

## Data processing -- register (C4.1.95)
UDIV_32_dp_2src          sf=0 0 0 11010110 Rm:5 000010 Rn:5 Rd:5
SDIV_32_dp_2src          sf=0 0 0 11010110 Rm:5 000011 Rn:5 Rd:5
LSLV_32_dp_2src          sf=0 0 0 11010110 Rm:5 001000 Rn:5 Rd:5
LSRV_32_dp_2src          sf=0 0 0 11010110 Rm:5 001001 Rn:5 Rd:5
ASRV_32_dp_2src          sf=0 0 0 11010110 Rm:5 001010 Rn:5 Rd:5
RORV_32_dp_2src          sf=0 0 0 11010110 Rm:5 001011 Rn:5 Rd:5
CRC32B_32C_dp_2src       sf=0 0 0 11010110 Rm:5 010 C=0 sz=00 Rn:5 Rd:5   @FEAT_CRC32
CRC32H_32C_dp_2src       sf=0 0 0 11010110 Rm:5 010 C=0 sz=01 Rn:5 Rd:5   @FEAT_CRC32
CRC32W_32C_dp_2src       sf=0 0 0 11010110 Rm:5 010 C=0 sz=10 Rn:5 Rd:5   @FEAT_CRC32
CRC32CB_32C_dp_2src      sf=0 0 0 11010110 Rm:5 010 C=1 sz=00 Rn:5 Rd:5   @FEAT_CRC32
CRC32CH_32C_dp_2src      sf=0 0 0 11010110 Rm:5 010 C=1 sz=01 Rn:5 Rd:5   @FEAT_CRC32
CRC32CW_32C_dp_2src      sf=0 0 0 11010110 Rm:5 010 C=1 sz=10 Rn:5 Rd:5   @FEAT_CRC32
UDIV_64_dp_2src          sf=1 0 0 11010110 Rm:5 000010 Rn:5 Rd:5
SDIV_64_dp_2src          sf=1 0 0 11010110 Rm:5 000011 Rn:5 Rd:5
LSLV_64_dp_2src          sf=1 0 0 11010110 Rm:5 001000 Rn:5 Rd:5
LSRV_64_dp_2src          sf=1 0 0 11010110 Rm:5 001001 Rn:5 Rd:5
ASRV_64_dp_2src          sf=1 0 0 11010110 Rm:5 001010 Rn:5 Rd:5
RORV_64_dp_2src          sf=1 0 0 11010110 Rm:5 001011 Rn:5 Rd:5
CRC32X_64C_dp_2src       sf=1 0 0 11010110 Rm:5 010 C=0 sz=11 Rn:5 Rd:5   @FEAT_CRC32
CRC32CX_64C_dp_2src      sf=1 0 0 11010110 Rm:5 010 C=1 sz=11 Rn:5 Rd:5   @FEAT_CRC32
RBIT_32_dp_1src          sf=0 1 0 11010110 00000 000000 Rn:5 Rd:5
REV16_32_dp_1src         sf=0 1 0 11010110 00000 000001 Rn:5 Rd:5
REV_32_dp_1src           sf=0 1 0 11010110 00000 000010 Rn:5 Rd:5
CLZ_32_dp_1src           sf=0 1 0 11010110 00000 000100 Rn:5 Rd:5
CLS_32_dp_1src           sf=0 1 0 11010110 00000 000101 Rn:5 Rd:5
RBIT_64_dp_1src          sf=1 1 0 11010110 00000 000000 Rn:5 Rd:5
REV16_64_dp_1src         sf=1 1 0 11010110 00000 000001 Rn:5 Rd:5
REV32_64_dp_1src         sf=1 1 0 11010110 00000 000010 Rn:5 Rd:5
REV_64_dp_1src           sf=1 1 0 11010110 00000 000011 Rn:5 Rd:5
CLZ_64_dp_1src           sf=1 1 0 11010110 00000 000100 Rn:5 Rd:5
CLS_64_dp_1src           sf=1 1 0 11010110 00000 000101 Rn:5 Rd:5
AND_32_log_shift         sf=0 opc=00 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5
BIC_32_log_shift         sf=0 opc=00 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5
ORR_32_log_shift         sf=0 opc=01 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5
ORN_32_log_shift         sf=0 opc=01 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5
EOR_32_log_shift         sf=0 opc=10 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5
EON_32_log_shift         sf=0 opc=10 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5
ANDS_32_log_shift        sf=0 opc=11 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5
BICS_32_log_shift        sf=0 opc=11 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5
AND_64_log_shift         sf=1 opc=00 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5
BIC_64_log_shift         sf=1 opc=00 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5
ORR_64_log_shift         sf=1 opc=01 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5
ORN_64_log_shift         sf=1 opc=01 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5
EOR_64_log_shift         sf=1 opc=10 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5
EON_64_log_shift         sf=1 opc=10 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5
ANDS_64_log_shift        sf=1 opc=11 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5
BICS_64_log_shift        sf=1 opc=11 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5
ADD_32_addsub_shift      sf=0 op=0 S=0 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5
ADDS_32_addsub_shift     sf=0 op=0 S=1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5
SUB_32_addsub_shift      sf=0 op=1 S=0 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5
SUBS_32_addsub_shift     sf=0 op=1 S=1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5
ADD_64_addsub_shift      sf=1 op=0 S=0 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5
ADDS_64_addsub_shift     sf=1 op=0 S=1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5
SUB_64_addsub_shift      sf=1 op=1 S=0 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5
SUBS_64_addsub_shift     sf=1 op=1 S=1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5
ADD_32_addsub_ext        sf=0 op=0 S=0 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5
ADDS_32S_addsub_ext      sf=0 op=0 S=1 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5
SUB_32_addsub_ext        sf=0 op=1 S=0 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5
SUBS_32S_addsub_ext      sf=0 op=1 S=1 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5
ADD_64_addsub_ext        sf=1 op=0 S=0 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5
ADDS_64S_addsub_ext      sf=1 op=0 S=1 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5
SUB_64_addsub_ext        sf=1 op=1 S=0 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5
SUBS_64S_addsub_ext      sf=1 op=1 S=1 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5
ADC_32_addsub_carry      sf=0 op=0 S=0 11010000 Rm:5 000000 Rn:5 Rd:5
ADCS_32_addsub_carry     sf=0 op=0 S=1 11010000 Rm:5 000000 Rn:5 Rd:5
SBC_32_addsub_carry      sf=0 op=1 S=0 11010000 Rm:5 000000 Rn:5 Rd:5
SBCS_32_addsub_carry     sf=0 op=1 S=1 11010000 Rm:5 000000 Rn:5 Rd:5
ADC_64_addsub_carry      sf=1 op=0 S=0 11010000 Rm:5 000000 Rn:5 Rd:5
ADCS_64_addsub_carry     sf=1 op=0 S=1 11010000 Rm:5 000000 Rn:5 Rd:5
SBC_64_addsub_carry      sf=1 op=1 S=0 11010000 Rm:5 000000 Rn:5 Rd:5
SBCS_64_addsub_carry     sf=1 op=1 S=1 11010000 Rm:5 000000 Rn:5 Rd:5
CCMN_32_condcmp_reg      sf=0 op=0 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4
CCMP_32_condcmp_reg      sf=0 op=1 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4
CCMN_64_condcmp_reg      sf=1 op=0 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4
CCMP_64_condcmp_reg      sf=1 op=1 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4
CCMN_32_condcmp_imm      sf=0 op=0 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4
CCMP_32_condcmp_imm      sf=0 op=1 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4
CCMN_64_condcmp_imm      sf=1 op=0 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4
CCMP_64_condcmp_imm      sf=1 op=1 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4
CSEL_32_condsel          sf=0 op=0 0 11010100 Rm:5 cond:4 op2=00 Rn:5 Rd:5
CSINC_32_condsel         sf=0 op=0 0 11010100 Rm:5 cond:4 op2=01 Rn:5 Rd:5
CSINV_32_condsel         sf=0 op=1 0 11010100 Rm:5 cond:4 op2=00 Rn:5 Rd:5
CSNEG_32_condsel         sf=0 op=1 0 11010100 Rm:5 cond:4 op2=01 Rn:5 Rd:5
CSEL_64_condsel          sf=1 op=0 0 11010100 Rm:5 cond:4 op2=00 Rn:5 Rd:5
CSINC_64_condsel         sf=1 op=0 0 11010100 Rm:5 cond:4 op2=01 Rn:5 Rd:5
CSINV_64_condsel         sf=1 op=1 0 11010100 Rm:5 cond:4 op2=00 Rn:5 Rd:5
CSNEG_64_condsel         sf=1 op=1 0 11010100 Rm:5 cond:4 op2=01 Rn:5 Rd:5
MADD_32A_dp_3src         sf=0 00 11011 op31=000 Rm:5 o0=0 Ra:5 Rn:5 Rd:5
MSUB_32A_dp_3src         sf=0 00 11011 op31=000 Rm:5 o0=1 Ra:5 Rn:5 Rd:5
MADD_64A_dp_3src         sf=1 00 11011 op31=000 Rm:5 o0=0 Ra:5 Rn:5 Rd:5
MSUB_64A_dp_3src         sf=1 00 11011 op31=000 Rm:5 o0=1 Ra:5 Rn:5 Rd:5
SMADDL_64WA_dp_3src      sf=1 00 11011 op31=001 Rm:5 o0=0 Ra:5 Rn:5 Rd:5
SMSUBL_64WA_dp_3src      sf=1 00 11011 op31=001 Rm:5 o0=1 Ra:5 Rn:5 Rd:5
SMULH_64_dp_3src         sf=1 00 11011 op31=010 Rm:5 o0=0 11111 Rn:5 Rd:5
UMADDL_64WA_dp_3src      sf=1 00 11011 op31=101 Rm:5 o0=0 Ra:5 Rn:5 Rd:5
UMSUBL_64WA_dp_3src      sf=1 00 11011 op31=101 Rm:5 o0=1 Ra:5 Rn:5 Rd:5
UMULH_64_dp_3src         sf=1 00 11011 op31=110 Rm:5 o0=0 11111 Rn:5 Rd:5
"""
