"""How guessable a passphrase is: zxcvbn's estimate (the Python port of Dropbox's estimator).

One place rates passphrases for the core's check (``init``, recovery, a change of passphrase) and for
the GUI's meter, so the meter never says "good" to a passphrase the core then refuses. zxcvbn works
from its own word and pattern lists inside the package: it reads no file and makes no network call.
It is imported on first use, not at start-up.

Never logs, stores or audits the passphrase or zxcvbn's matches (which quote parts of it).
"""

from __future__ import annotations

from dataclasses import dataclass

#: zxcvbn's own limit: its matching grows quickly with length. A longer passphrase is rated on its
#: first characters, and is at least as hard to guess as they are.
RATED_CHARS = 72
#: zxcvbn's scale: 0 too guessable, 1 very guessable, 2 somewhat guessable, 3 safely unguessable,
#: 4 very unguessable.
MAX_SCORE = 4
DEFAULT_MIN_SCORE = 3
#: words anyone guessing a VaultScribe passphrase would try first
_CONTEXT_WORDS = ("vaultscribe", "vault", "scribe", "transcript", "recording")


@dataclass(frozen=True)
class Strength:
    score: int  # 0 to 4
    warning: str  # zxcvbn's warning, e.g. "This is a top-10 common password."; "" when none
    suggestions: tuple[str, ...]

    def feedback(self) -> str:
        """zxcvbn's warning and suggestions as one sentence or more; "" when it has none."""
        return " ".join(part for part in (self.warning, *self.suggestions) if part)


def rate(passphrase: str) -> Strength:
    """zxcvbn's score and feedback for ``passphrase`` (the empty string scores 0)."""
    if not passphrase:
        return Strength(0, "", ())
    import zxcvbn  # lazily: its word lists are parsed on import

    result = zxcvbn.zxcvbn(passphrase[:RATED_CHARS], user_inputs=list(_CONTEXT_WORDS), max_length=RATED_CHARS)
    feedback = result.get("feedback") or {}
    return Strength(
        score=int(result["score"]),
        warning=str(feedback.get("warning") or ""),
        suggestions=tuple(str(s) for s in feedback.get("suggestions") or () if s),
    )
