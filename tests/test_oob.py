"""Out-of-bounds accesses are refutations (lnsym.prove.oob): a path ending on an access the symbolic memory cannot
place is refuted when Z3 finds contract-allowed inputs putting it outside every declared object, and the
counterexample replays as a fault at that access on lnsym's machine and on Unicorn."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from openssl_fixture import libcrypto

from bitvec import BV, var
from lnsym.check.mutants import Mutant
from lnsym.check.mutation import assess, random_inputs
from lnsym.contract import load_contract_file
from lnsym.load.loader import load
from lnsym.prove.oob import search
from lnsym.prove.oob_replay import Access, run_lnsym, run_unicorn
from lnsym.prove.prover import verify
from lnsym.prove.replay import buffer_layout, entry_from_model
from lnsym.symbolic.memory import SymMemory, SymRegion
from lnsym.symbolic.state import MemoryAccess, PathEnd, SymState

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
READ_PAST_END = PROGRAMS / "buggy" / "crc32c_read_past_end.py"


def test_read_past_the_buffer_is_refuted_and_faults_on_both_machines() -> None:
    c = load_contract_file(READ_PAST_END)[0]
    image = load(c.object_path(), symbol=c.symbol)
    result = verify(c, timeout_s=60)
    ldrb = image.address("crc32c_64") + 8  # ldrb w2, [x1], #1
    assert result.verdict == "refuted", result.detail
    assert result.detail == f"out-of-bounds read of 1 byte(s) at data+0x40 (pc {ldrb:#x} crc32c_64+0x8)"
    cx = result.counterexample
    assert cx is not None and cx["replays"] is True
    data = int(cx["buffer_addresses"]["data"], 16)  # type: ignore[index]
    assert data % 4096 == 4096 - 64 and data < 1 << 47  # its end on a page boundary: Unicorn faults too
    assert len(bytes.fromhex(cx["inputs"]["data"])) == 64  # type: ignore[index]
    for machine in ("lnsym", "unicorn"):
        assert cx[f"replay_{machine}"] == [f"read of 1 byte(s) at {data + 64:#x} (data+0x40) outside the declared "
                                           f"objects at pc {ldrb:#x}: faulted"], cx


def test_an_access_into_mapped_memory_is_still_caught_on_unicorn() -> None:
    """The fixed replay layout puts ``data`` mid-page: Unicorn reads the byte past it without faulting, and the
    memory hook reports that read as outside the declared objects; lnsym's machine, mapping exactly, faults."""
    c = load_contract_file(READ_PAST_END)[0]
    image = load(c.object_path(), symbol=c.symbol)
    inputs = random_inputs(c, random.Random(1))
    regs, buffers = buffer_layout(c, inputs)
    data = buffers["data"][0]
    assert data % 4096 == 0
    ldrb = image.address("crc32c_64") + 8
    assert run_lnsym(c, image, regs, buffers, entry_from_model({})) == Access(ldrb, data + 64, 1, "read", True)
    assert run_unicorn(c, image, regs, buffers, entry_from_model({})) == Access(ldrb, data + 64, 1, "read", False)


def _ended_on(address: object, constraints: list[object]) -> PathEnd:
    memory = SymMemory()
    memory.add(SymRegion("big", var("&big", 64), 8192))  # past MAX_SYMBOLIC_OFFSET_REGION: not placed exactly
    memory.add(SymRegion("stack", BV(64, 0x7F00_0000), 0x1_0000))
    base = var("&big", 64)
    path = [base.ule((1 << 48) - 8192), base.ne(0), *constraints]
    return PathEnd(SymState(pc=0x1000, memory=memory, path=path), "error", "", MemoryAccess(address, 4, "read"))


def test_an_access_always_inside_is_not_refuted() -> None:
    base, i = var("&big", 64), var("i", 64)
    assert search(_ended_on(base + (i & 0xFF) * 4, []), 10_000) is None  # always inside: unknown stays unknown
    assert search(_ended_on(base + i * 4, [i.ule(2047)]), 10_000) is None  # the last word, no further
    found = search(_ended_on(base + i * 4, [i.ule(2048)]), 10_000)  # one word past the end
    assert found is not None and found.model["i"] == 2048 and found.address == found.model["&big"] + 8192


def test_ctr32_mutant_reading_rounds_from_x29_is_killed() -> None:
    """The campaign's mutant of aes_v8_ctr32_encrypt_blocks that takes the round count from W29 (the frame
    pointer, i.e. SP at entry) instead of the key: it reads past the 244-byte AES_KEY."""
    from lnsym.contracts.openssl import contract

    c = contract("aes_v8_ctr32_encrypt_blocks[1,10]", str(libcrypto()))
    image = load(c.object_path(), member=c.member, symbol=c.symbol)
    mov = image.address(c.symbol) + 0x3C
    assert int.from_bytes(image.read(mov, 4), "little") == 0x2A0503E6  # mov w6, w5
    mutant = Mutant(mov, 0x2A0503E6, 0x2A1D03E6, "register", "ORR: Rm 5 -> 29")
    bounded = dataclasses.replace(c, max_steps=20_000)
    rng = random.Random(7)
    r = assess(bounded, image, mutant, [random_inputs(c, rng) for _ in range(2)], timeout_s=20)
    assert (r.concrete, r.verdict, r.replays, r.status) == ("differs", "refuted", True, "killed"), r.detail
    assert "out-of-bounds read of 4 byte(s) at key+0xf4" in r.detail
