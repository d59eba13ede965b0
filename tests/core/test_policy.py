"""The administrator's policy: parsed strictly, failing closed, and enforced in the core (so the CLI
obeys it as the GUI does)."""

from __future__ import annotations

import base64
import contextlib
import plistlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import errors
from core.policy import (
    KEYS,
    NO_POLICY,
    REG_DWORD,
    REG_MULTI_SZ,
    REG_SZ,
    Policy,
    from_registry,
    parse,
    read_plist,
    read_toml,
)
from core.redaction.detect import default_detector
from core.security.kdf import TEST_PARAMS
from core.session import Session
from models.store import ModelStore
from tests.core.helpers import audit_events
from tests.session.test_review import recorded
from tests.session.test_session import PASSPHRASE, Vault, make_vault

ESCROW = base64.b64encode(bytes(range(32))).decode()
FULL = f"""
require_totp = true
min_passphrase_length = 16
min_passphrase_score = 4
auto_lock_minutes = 5
max_failed_unlocks = 4
retention_days = 30
redaction_required = true
redaction_entities = ["NAME", "PHONE", "MEDICAL_RECORD_NUMBER"]
allow_unredacted_export = false
keep_original_audio_after_redaction = true
allow_audio_export = false
allow_model_download = false
model_paths = ["/opt/vaultscribe/models"]
audit_export_path = "/var/log/vaultscribe/audit.jsonl"
recovery_escrow_public_key = "{ESCROW}"
vocabulary = ["Metformin", "Dr. Okonkwo"]
vocabulary_boost_weight = 2.5
database_memory_security = true
"""


def test_every_key_of_a_full_policy_is_read(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(FULL)
    policy = read_toml(path)
    assert policy.min_passphrase_length == 16 and policy.redaction_entities == (
        "NAME",
        "PHONE",
        "MEDICAL_RECORD_NUMBER",
    )
    assert policy.model_paths == ("/opt/vaultscribe/models",) and policy.allow_model_download is False
    assert all(policy.is_set(key) for key in KEYS)
    assert policy.source == str(path)


def test_no_policy_file_means_no_limits(tmp_path: Path) -> None:
    assert read_toml(tmp_path / "absent.toml") == NO_POLICY
    assert read_plist(tmp_path / "absent.plist") == NO_POLICY


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("colour = 'blue'", "'colour'"),
        ("auto_lock_minutes = '5'", "auto_lock_minutes"),
        ("auto_lock_minutes = 0", "auto_lock_minutes"),
        ("require_totp = 1", "require_totp"),
        ("min_passphrase_length = true", "min_passphrase_length"),
        ("redaction_entities = ['NAME', 'SHOE_SIZE']", "SHOE_SIZE"),
        ("model_paths = ['models']", "model_paths"),
        ("recovery_escrow_public_key = 'c2hvcnQ='", "recovery_escrow_public_key"),
        ("vocabulary = ['Metformin', '']", "vocabulary"),
        ("vocabulary = ['" + "x" * 101 + "']", "vocabulary entry 1: A vocabulary phrase can be at most 100"),
        ("vocabulary_boost_weight = 0.0", "vocabulary_boost_weight must be between 0.1 and 20.0"),
        ("vocabulary_boost_weight = 'high'", "vocabulary_boost_weight must be a number"),
        ("vocabulary_boost_weight = nan", "vocabulary_boost_weight must be a number"),
        ("max_failed_unlocks = [", "not valid TOML"),
    ],
)
def test_a_bad_policy_stops_with_the_file_and_key_named(tmp_path: Path, text: str, names: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    with pytest.raises(errors.PolicyInvalid) as caught:
        read_toml(path)
    assert str(path) in str(caught.value) and names in str(caught.value)
    assert "will not start" in str(caught.value)


def test_an_unreadable_policy_stops_too(tmp_path: Path) -> None:
    (tmp_path / "policy.toml").mkdir()  # a folder where the file should be: reading fails
    with pytest.raises(errors.PolicyInvalid, match="cannot be read"):
        read_toml(tmp_path / "policy.toml")
    (tmp_path / "latin1.toml").write_bytes(b"require_totp = true # \xe9")
    with pytest.raises(errors.PolicyInvalid, match="cannot be read"):
        read_toml(tmp_path / "latin1.toml")


def test_macos_profile_keys_are_skipped_and_ours_checked(tmp_path: Path) -> None:
    path = tmp_path / "org.vaultscribe.app.plist"
    path.write_bytes(
        plistlib.dumps(
            {"PayloadUUID": "x", "auto_lock_minutes": 3, "allow_audio_export": False, "database_memory_security": True}
        )
    )
    assert read_plist(path) == Policy(auto_lock_minutes=3, allow_audio_export=False, database_memory_security=True)
    path.write_bytes(plistlib.dumps({"auto_lock_minutes": "3"}))
    with pytest.raises(errors.PolicyInvalid, match="auto_lock_minutes"):
        read_plist(path)


def test_group_policy_registry_values() -> None:
    values = [
        ("auto_lock_minutes", REG_DWORD, 5),
        ("allow_unredacted_export", REG_DWORD, 0),
        ("model_paths", REG_MULTI_SZ, ["C:\\Models"]),
        ("audit_export_path", REG_SZ, "C:\\Logs\\a.jsonl"),
        ("database_memory_security", REG_DWORD, 1),
    ]
    policy = from_registry(values, source="HKLM\\SOFTWARE\\Policies\\VaultScribe")
    assert policy == Policy(
        auto_lock_minutes=5,
        allow_unredacted_export=False,
        model_paths=("C:\\Models",),
        audit_export_path="C:\\Logs\\a.jsonl",
        database_memory_security=True,
    )
    with pytest.raises(errors.PolicyInvalid, match="wrong registry type"):
        from_registry([("auto_lock_minutes", REG_SZ, "5")], source="HKLM")
    with pytest.raises(errors.PolicyInvalid, match="'colour'"):
        from_registry([("colour", REG_SZ, "blue")], source="HKLM")


def test_group_policy_writes_the_boost_weight_as_text_and_the_vocabulary_as_a_list() -> None:
    values = [("vocabulary_boost_weight", REG_SZ, " 2.5"), ("vocabulary", REG_MULTI_SZ, ["Metformin", "Lisinopril"])]
    policy = from_registry(values, source="HKLM")
    assert policy == Policy(vocabulary_boost_weight=2.5, vocabulary=("Metformin", "Lisinopril"))
    with pytest.raises(errors.PolicyInvalid, match="vocabulary_boost_weight must be a number"):
        from_registry([("vocabulary_boost_weight", REG_SZ, "strong")], source="HKLM")
    with pytest.raises(errors.PolicyInvalid, match="wrong registry type"):
        from_registry([("vocabulary_boost_weight", REG_DWORD, 2)], source="HKLM")


def test_the_policy_boost_weight_locks_the_users_setting() -> None:
    policy = Policy(vocabulary_boost_weight=1.5)
    assert policy.locks("vocabulary_boost_weight") and not NO_POLICY.locks("vocabulary_boost_weight")
    assert policy.effective("vocabulary_boost_weight", None) == 1.5
    assert NO_POLICY.effective("vocabulary_boost_weight", 3.0) == 3.0


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*KEYS, "x"]), st.one_of(st.booleans(), st.integers(), st.text(), st.lists(st.text()))
    )
)
def test_any_mapping_is_a_valid_policy_or_a_policy_error(data: dict) -> None:
    with contextlib.suppress(errors.PolicyInvalid):
        parse(data, source="fuzz")


# -- enforcement in the core ------------------------------------------------------------------------


def with_policy(vault: Vault, policy: Policy) -> Session:
    session = Session(
        vault.paths,
        keystore=vault.keystore,
        clock=vault.clock,
        kdf_params=TEST_PARAMS,
        config=vault.config,
        policy=policy,
        os_user="tester",
    )
    vault.session.lock()
    vault.next_step()
    session.unlock(PASSPHRASE, vault.code())
    return session


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path)


def test_limits_raise_the_users_minimums_and_cap_the_idle_time(vault: Vault) -> None:
    policy = Policy(min_passphrase_length=40, auto_lock_minutes=5, max_failed_unlocks=3)
    s = with_policy(vault, policy)
    vault.config.set("auto_lock_minutes", 0)  # "never", which the policy does not allow
    assert s.setting("auto_lock_minutes") == 5 and s.setting("min_passphrase_length") == 40
    with pytest.raises(errors.BadInput, match="at least 40"):
        s.keys.change_passphrase(PASSPHRASE, "a" * 30)
    with pytest.raises(errors.PolicyDenied, match="managed by your organization"):
        s.update_config({"auto_lock_minutes": 60})
    vault.clock.advance(5 * 60)
    assert s.lock_if_idle()
    assert s.backoff().limit == 3


def test_exports_the_policy_forbids_are_refused_and_nothing_is_written(vault: Vault, tmp_path: Path) -> None:
    rid = recorded(vault)
    s = with_policy(vault, Policy(allow_unredacted_export=False, allow_audio_export=False))
    out = tmp_path / "t.txt"
    with pytest.raises(errors.PolicyDenied) as caught:
        s.transcripts.export_transcript(rid, out, "txt", redacted=False)
    assert caught.value.exit_code == 3 and not out.exists()
    s.transcripts.export_transcript(rid, out, "txt")  # redacted is fine
    with pytest.raises(errors.PolicyDenied):
        s.audio.export_original(rid, tmp_path / "a.wav")
    assert not (tmp_path / "a.wav").exists()


def test_required_types_are_always_looked_for(vault: Vault) -> None:
    rid = recorded(vault)
    s = with_policy(vault, Policy(redaction_required=True, redaction_entities=("NAME",)))
    s.review.set_redaction_entities(["PHONE"])
    found = {r.type for r in s.review.detect_pii(rid, default_detector())}
    assert found == {"NAME", "PHONE"}
    assert s.policy.locks("redaction.entities")


def test_retention_purges_old_recordings_at_unlock_by_crypto_shredding(vault: Vault) -> None:
    rid = recorded(vault)  # created_ms = 1 in the fake clock's epoch
    vault.clock.advance(31 * 86_400)
    s = with_policy(vault, Policy(retention_days=30))
    assert s.recordings.get(rid) is None
    kinds = [(e["kind"], e["detail"]) for e in audit_events(s)]
    assert ("retention.purge", {"days": 30, "recordings": 1}) in kinds
    assert any(k == "recording.delete" and d.get("reason") == "retention" for k, d in kinds)


def test_model_downloads_can_be_forbidden_and_folders_provisioned(tmp_path: Path) -> None:
    from models.manifest import MANIFEST

    store = ModelStore(tmp_path / "m", policy=Policy(allow_model_download=False, model_paths=("/opt/models",)))
    assert Path("/opt/models") in store.extra_dirs
    with pytest.raises(errors.PolicyDenied, match="pre-provisioned"):
        store.download(MANIFEST[0], consent=True)


def test_the_shipped_example_documents_every_key_and_every_type(tmp_path: Path) -> None:
    from core.redaction.types import ENTITY_TYPES

    example = Path(__file__).resolve().parents[2] / "packaging" / "policy.toml.example"
    text = example.read_text("utf-8")
    assert read_toml(example) == NO_POLICY  # as shipped, every key is commented out
    lines = [line[2:] for line in text.splitlines() if line.startswith("# ") and " = " in line.split("#")[1]]
    active = tmp_path / "policy.toml"
    active.write_text("\n".join(lines))
    policy = read_toml(active)
    assert all(policy.is_set(key) for key in KEYS)
    assert all(t in text for t in ENTITY_TYPES)


def test_committed_audit_events_are_copied_once_each_to_the_siem_file(vault: Vault, tmp_path: Path) -> None:
    import json

    siem = tmp_path / "siem" / "audit.jsonl"
    rid = recorded(vault)  # before the policy: these events are copied at this session's first write
    s = with_policy(vault, Policy(audit_export_path=str(siem)))
    s.recordings.rename_recording(rid, "Renamed")
    lines = [json.loads(line) for line in siem.read_text().splitlines()]
    seqs = [line["seq"] for line in lines]
    assert seqs == list(range(1, len(seqs) + 1))  # every event, in order, once
    assert lines[-1]["kind"] == "recording.rename" and lines[-1]["vault"] == vault.header.vault_id
    assert "Renamed" not in siem.read_text()  # content-free, like the audit log itself
    s.lock()
    again = Session(
        vault.paths, keystore=vault.keystore, clock=vault.clock, kdf_params=TEST_PARAMS, config=vault.config,
        policy=Policy(audit_export_path=str(siem)), os_user="tester",
    )  # fmt: skip
    vault.next_step()
    again.unlock(PASSPHRASE, vault.code())
    seqs = [json.loads(line)["seq"] for line in siem.read_text().splitlines()]
    assert seqs == list(range(1, len(seqs) + 1))  # a new process continues where the file ends
    assert json.loads(siem.read_text().splitlines()[-1])["kind"] == "unlock"
