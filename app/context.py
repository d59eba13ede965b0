"""What every view of the unlocked app is given: the worker, the speech engine, the model store, and
the devices. Built once by the composition root (``app.main``); tests build their own with fakes
for the parts that need hardware (audio streams) and the real ones for the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.tasks import VaultWorker
from core.audio import capture, playback
from core.config import Config
from core.policy import NO_POLICY, Policy
from core.session import EngineHolder


@dataclass
class AppContext:
    worker: VaultWorker
    engines: EngineHolder  # the session's own (``Session.engines``): one loaded engine per process
    config: Config  # the session's settings: plain values, read on the GUI thread, changed via update_config
    models_dir: Any = None  # a Path; None for models.store.default_models_dir()
    input_stream: capture.StreamFactory | None = None  # None: the real microphone (sounddevice)
    output_stream: playback.OutStreamFactory | None = None  # None: the real speakers (sounddevice)
    list_input_devices: Callable[[], list[capture.InputDevice]] = capture.list_input_devices
    capture_format: capture.CaptureFormat | None = None  # None: negotiated with the device
    policy: Policy = NO_POLICY  # the administrator's, as the session has it
    monotonic: Callable[[], float] = time.monotonic
    #: records a vault folder chosen at first run for later starts; None: not remembered (tests)
    remember_vault_dir: Callable[[Path], None] | None = None
    extras: dict[str, Any] = field(default_factory=dict)
