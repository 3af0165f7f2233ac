"""Job states: one table of legal moves, enforced in one place; percent and ETA arithmetic."""

from __future__ import annotations

import pytest

from engine.pool.eta import STAGE_WEIGHTS, Throughput, audio_seconds_of, overall_percent
from engine.pool.jobs import LEGAL_TRANSITIONS, IllegalTransition, Job, JobState
from engine.protocol import Progress, Stage


def test_every_state_has_a_row_in_the_transition_table() -> None:
    assert set(LEGAL_TRANSITIONS) == set(JobState)


def test_a_job_moves_through_queued_loading_running_done() -> None:
    job = Job(id="j", path="a.wav")
    for state in (JobState.LOADING, JobState.RUNNING, JobState.DONE):
        job.move_to(state)
    assert job.state is JobState.DONE


def test_a_done_job_cannot_change_state_again() -> None:
    job = Job(id="j", path="a.wav", state=JobState.DONE)
    for state in JobState:
        with pytest.raises(IllegalTransition):
            job.move_to(state)


def test_only_failed_and_cancelled_jobs_can_be_retried() -> None:
    for state in JobState:
        allowed = JobState.QUEUED in LEGAL_TRANSITIONS[state]
        expected = state in (JobState.FAILED, JobState.CANCELLED) or state.active
        assert allowed == expected, state


def test_a_queued_job_cannot_jump_to_done() -> None:
    with pytest.raises(IllegalTransition, match="queued -> done"):
        Job(id="j", path="a.wav").move_to(JobState.DONE)


def test_speakers_found_counts_distinct_speakers_and_is_none_without_a_transcript() -> None:
    job = Job(id="j", path="a.wav")
    assert job.speakers_found is None
    job.transcript = {
        "sentences": [{"speaker": 0}, {"speaker": 1}, {"speaker": 0}, {"speaker": None}]
    }
    assert job.speakers_found == 2


def test_stage_weights_add_up_to_one_hundred() -> None:
    assert sum(STAGE_WEIGHTS.values()) == 100
    assert list(STAGE_WEIGHTS) == list(Stage)


def test_overall_percent_rises_through_a_typical_stage_sequence() -> None:
    events = [
        Progress("j", Stage.DECODE, 3000, 6000, 3000, 6000),
        Progress("j", Stage.DECODE, 6000, 6000, 6000, 6000),
        Progress("j", Stage.VAD, 0, 1, 0, 6000),
        Progress("j", Stage.VAD, 1, 1, 6000, 6000),
        Progress("j", Stage.ASR, 0, 3, 0, 5000),
        Progress("j", Stage.ASR, 1, 3, 1000, 5000),
        Progress("j", Stage.ASR, 3, 3, 5000, 5000),
        Progress("j", Stage.PUNC, 1, 1, 5000, 5000),
        Progress("j", Stage.SPEAKERS, 1, 1, 5000, 5000),
    ]
    percents = [overall_percent(e) for e in events]
    assert percents == sorted(percents)
    assert percents[0] == 2.5 and percents[-1] == 100
    assert percents[5] == pytest.approx(10 + 70 * 0.2)  # ASR goes by audio time


def test_audio_duration_is_known_from_the_end_of_decoding() -> None:
    assert audio_seconds_of(Progress("j", Stage.DECODE, 1000, 6000, 1000, 6000)) is None
    assert audio_seconds_of(Progress("j", Stage.DECODE, 6000, 6000, 6000, 6000)) == 6.0
    assert audio_seconds_of(Progress("j", Stage.VAD, 0, 1, 0, 7500)) == 7.5


def test_eta_uses_measured_throughput_not_a_straight_line_on_percent() -> None:
    throughput = Throughput()
    throughput.add(audio_seconds=100, wall_seconds=10)  # earlier jobs: 10x realtime
    # 50 s file, 10% done after 1 s: 5 + 100 audio s in 11 wall s, 45 s of audio left.
    eta = throughput.eta(audio_seconds=50, percent=10, elapsed=1)
    assert eta == pytest.approx(45 / (105 / 11))
    assert eta != pytest.approx(9.0)  # what a straight line on percent would say


def test_eta_is_unknown_before_anything_was_measured() -> None:
    assert Throughput().eta(audio_seconds=None, percent=50, elapsed=1) is None
    assert Throughput().eta(audio_seconds=10, percent=0, elapsed=0) is None
