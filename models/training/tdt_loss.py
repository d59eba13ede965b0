"""The TDT loss on the CPU: NeMo 3.0's own `tdt` loss runs on CUDA only.

Token-and-Duration Transducer (Xu et al. 2023, eq. 7). alpha(t, u) is the log probability of having
emitted the first u labels and standing at frame t:

    alpha(t, u) = lse_{d in D, d>0}  alpha(t-d, u)   + blank(t-d, u)     + dur(t-d, u, d)
                  lse_{d in D}       alpha(t-d, u-1) + label(t-d, u-1)   + dur(t-d, u-1, d)
    log P(y|x)  = lse_{d in D, d>0}  alpha(T-d, U)   + blank(T-d, U)     + dur(T-d, U, d)

The d=0 label term links alpha(t, u) to alpha(t, u-1) in the same frame. That is the linear recurrence
x_u = a_u lse (b_u + x_{u-1}), solved in one step with a cumulative sum and `logcumsumexp`, so the loop runs
over frames only and is vectorised over the batch and over labels. Autograd provides the gradient.
As in NeMo, `sigma` under-normalises the token logits (the paper's logit under-normalisation).
"""

from __future__ import annotations

from models.training import Tensor

NEG = -1e30  # a finite "minus infinity", so that gradients never become NaN


def tdt_loss(
    logits: Tensor,
    labels: Tensor,
    frames: Tensor,
    label_lengths: Tensor,
    *,
    blank: int,
    durations: list[int],
    sigma: float = 0.0,
) -> Tensor:
    """Negative log likelihood per utterance, shape [B].

    logits: [B, T, U+1, V+1+len(durations)] raw joint outputs (tokens incl. blank, then durations).
    labels: [B, U] label ids; frames: [B] encoder lengths; label_lengths: [B].
    """
    import torch
    n_dur = len(durations)
    if durations[0] != 0 or 1 not in durations:
        raise ValueError("durations must start with 0 and include 1")
    tok = logits[..., :-n_dur].log_softmax(-1) - sigma
    dur = logits[..., -n_dur:].log_softmax(-1)
    b_size, t_max, u1, _ = tok.shape
    lp_blank = tok[..., blank]  # [B, T, U+1]
    lab = labels[:, : u1 - 1].clamp(min=0)
    lp_label = tok[:, :, : u1 - 1, :].gather(-1, lab[:, None, :, None].expand(-1, t_max, -1, 1)).squeeze(-1)
    neg = torch.full((b_size, 1), NEG, dtype=tok.dtype, device=tok.device)

    alphas: list[Tensor] = []
    for t in range(t_max):
        terms = []
        if t == 0:
            start = torch.full((b_size, u1), NEG, dtype=tok.dtype, device=tok.device)
            start[:, 0] = 0.0
            terms.append(start)
        for i, d in enumerate(durations):
            if d == 0 or t - d < 0:
                continue
            prev = alphas[t - d]
            terms.append(prev + lp_blank[:, t - d] + dur[:, t - d, :, i])
            emit = prev[:, :-1] + lp_label[:, t - d] + dur[:, t - d, :-1, i]
            terms.append(torch.cat([neg, emit], dim=1))
        a = torch.logsumexp(torch.stack(terms), dim=0)
        # d = 0: x_u = a_u lse (b_u + x_{u-1}) with b_u = label(t, u-1) + dur(t, u-1, 0)
        b = torch.cat([torch.zeros_like(neg), lp_label[:, t] + dur[:, t, :-1, 0]], dim=1)
        c = b.cumsum(dim=1)
        alphas.append(c + torch.logcumsumexp(a - c, dim=1))

    alpha = torch.stack(alphas, dim=1)  # [B, T, U+1]
    idx = torch.arange(b_size, device=tok.device)
    finals = []
    for i, d in enumerate(durations):
        if d == 0:
            continue
        t_last = frames - d
        ok = t_last >= 0
        tl = t_last.clamp(min=0)
        term = alpha[idx, tl, label_lengths] + lp_blank[idx, tl, label_lengths] + dur[idx, tl, label_lengths, i]
        finals.append(torch.where(ok, term, torch.full_like(term, NEG)))
    return -torch.logsumexp(torch.stack(finals), dim=0)


def brute_force_nll(
    logits: Tensor, labels: list[int], frames: int, *, blank: int, durations: list[int], sigma: float = 0.0
) -> float:
    """The same quantity for one utterance by enumerating every alignment. Only for tiny checks."""
    import torch
    n_dur = len(durations)
    tok = (logits[..., :-n_dur].log_softmax(-1) - sigma).tolist()
    dur = logits[..., -n_dur:].log_softmax(-1).tolist()
    total: list[float] = []

    def walk(t: int, u: int, acc: float) -> None:
        if t == frames and u == len(labels):
            total.append(acc)
            return
        if t >= frames:
            return
        for i, d in enumerate(durations):
            if d > 0 and t + d <= frames:
                walk(t + d, u, acc + tok[t][u][blank] + dur[t][u][i])
            if u < len(labels) and t + d < frames:
                walk(t + d, u + 1, acc + tok[t][u][labels[u]] + dur[t][u][i])

    walk(0, 0, 0.0)
    return -float(torch.logsumexp(torch.tensor(total, dtype=torch.float64), 0))
