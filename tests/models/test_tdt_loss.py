"""The CPU TDT loss that trains the test model equals the sum over every alignment, and its gradient
is right. NeMo's own TDT loss runs on CUDA only, so it cannot be the reference here."""

from __future__ import annotations

from typing import Any

import pytest

from models.training.tdt_loss import brute_force_nll, tdt_loss

DURATIONS = [0, 1, 2, 3]


@pytest.fixture
def torch() -> Any:
    """Imported by the tests that compute, never when the module is collected."""
    return pytest.importorskip("torch")


def _inputs(torch: Any, seed: int) -> tuple[Any, ...]:
    gen = torch.Generator().manual_seed(seed)
    b, t, u, v = 3, 6, 3, 4
    logits = torch.randn(b, t, u + 1, v + 1 + len(DURATIONS), generator=gen, dtype=torch.float64)
    labels = torch.randint(0, v, (b, u), generator=gen)
    return logits.requires_grad_(), labels, torch.tensor([6, 5, 4]), torch.tensor([3, 2, 1]), v


@pytest.mark.parametrize("sigma", [0.0, 0.05])
def test_matches_brute_force_enumeration(torch: Any, sigma: float) -> None:
    logits, labels, frames, lengths, blank = _inputs(torch, 0)
    nll = tdt_loss(logits, labels, frames, lengths, blank=blank, durations=DURATIONS, sigma=sigma)
    for b in range(3):
        expected = brute_force_nll(logits[b].detach(), labels[b, : lengths[b]].tolist(), int(frames[b]),
                                   blank=blank, durations=DURATIONS, sigma=sigma)
        assert float(nll[b].detach()) == pytest.approx(expected, rel=1e-9)


def test_gradient_matches_finite_differences(torch: Any) -> None:
    logits, labels, frames, lengths, blank = _inputs(torch, 1)

    def total(x: object) -> object:
        return tdt_loss(x, labels, frames, lengths, blank=blank, durations=DURATIONS, sigma=0.02).sum()

    assert torch.autograd.gradcheck(total, (logits,))


def test_durations_must_allow_a_step(torch: Any) -> None:
    logits, labels, frames, lengths, blank = _inputs(torch, 2)
    with pytest.raises(ValueError, match="durations"):
        tdt_loss(logits, labels, frames, lengths, blank=blank, durations=[0, 2])
