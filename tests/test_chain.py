"""Lemma chains (lnsym.prove.chain): cut at the GF(2) normal form's S-box leaves, exported lemma files that Z3 (and
bitwuzla, when installed) confirm, a false lemma that shows up as sat, and the bundled programs' artifacts
re-proved whole by a second solver."""

from __future__ import annotations

from pathlib import Path

import pytest
import z3
from smt_support import z3_answers

from bitvec import var
from bitvec.term import Term
from crypto_specs.aes import sbox_lookup, xtime
from lnsym.contract import load_contract_file
from lnsym.prove.chain import Chain, anf_chain, export_chain
from lnsym.prove.prover import verify

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"


def _two_rounds(a: Term, b: Term, k: Term, regroup: bool) -> Term:
    """S(xtime(S(a ^ k)) ^ b ^ k): the same value with the XORs associated differently when ``regroup``."""
    first = sbox_lookup(a ^ k) if not regroup else sbox_lookup(k ^ a)
    mixed = (xtime(first) ^ b) ^ k if not regroup else xtime(first) ^ (k ^ b ^ 0x5A) ^ 0x5A
    return sbox_lookup(mixed)


def test_anf_chain_cuts_at_the_sbox_and_z3_confirms_every_file(tmp_path: Path) -> None:
    a, b, k = var("a", 8), var("b", 8), var("k", 8)
    impl, spec = _two_rounds(a, b, k, False), _two_rounds(a, b, k, True)
    chain = anf_chain([("out", impl, spec)])
    assert chain is not None and len(chain.definitions) == 2  # one cut per S-box layer, shared by both sides
    folder = export_chain(chain, [], ["test"], tmp_path / "chain")
    assert "cut variables" in (folder / "README").read_text()
    answers = z3_answers(folder)
    assert answers and all(x == z3.unsat for x in answers)


def test_anf_chain_refuses_different_functions() -> None:
    a, b, k = var("a", 8), var("b", 8), var("k", 8)
    assert anf_chain([("out", _two_rounds(a, b, k, False), _two_rounds(a, b ^ 1, k, True))]) is None


def test_a_false_lemma_is_sat_in_its_file(tmp_path: Path) -> None:
    a = var("a", 8)
    chain = Chain(lemmas=[("true", a ^ a, a & 0), ("false", a + 1, a)])
    assert z3_answers(export_chain(chain, [], ["test"], tmp_path / "bad")) == [z3.sat]


@pytest.mark.parametrize("program", ["aes128_encrypt_ce", "sha256_block_ce", "sha512_block_ce", "aes128_expand_key_ce"])
def test_bundled_artifacts_recheck_with_bitwuzla(program: str, tmp_path: Path) -> None:
    pytest.importorskip("bitwuzla")
    from lnsym.prove.recheck import recheck

    contract = load_contract_file(PROGRAMS / f"{program}.py")[0]
    result = verify(contract, smt_out=tmp_path)
    assert result.verdict == "proved"
    checked = [o for o in result.obligations if o.method != "structural"]
    assert checked and all(o.smt_file for o in checked)
    # normal-form proofs are exported as lemma chains (a folder): a whole SHA-2 file is too deep for bitwuzla
    assert all(Path(o.smt_file).is_dir() for o in checked if o.method == "normal-form")  # type: ignore[arg-type]
    exports = {str(o.smt_file) for o in checked}  # one folder per path holds many obligations' files
    assert {recheck(e, "bitwuzla", 60) for e in exports} == {"unsat"}
