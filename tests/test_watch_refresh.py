"""The province-wide drafts are remade once per burst of files, and never two at a time."""

from __future__ import annotations

from docflow.watch.refresh import RefreshSchedule


def test_nothing_to_do_until_a_draft_is_marked_out_of_date():
    schedule = RefreshSchedule(30.0)
    assert not schedule.due(0.0, quiet=True)
    assert schedule.state() == ""


def test_a_burst_is_refreshed_once_when_the_queue_goes_quiet():
    schedule = RefreshSchedule(30.0)
    for n in range(50):                         # fifty forms accepted while others still wait
        schedule.mark(float(n) / 10)
        assert not schedule.due(float(n) / 10, quiet=False)
    assert schedule.state() == "waiting"
    assert schedule.due(6.0, quiet=True)
    assert schedule.state() == "running"


def test_under_a_steady_stream_the_drafts_are_still_refreshed_every_so_often():
    schedule = RefreshSchedule(30.0)
    schedule.mark(0.0)
    assert not schedule.due(29.9, quiet=False)
    assert schedule.due(30.0, quiet=False)


def test_one_refresh_at_a_time_and_marks_meanwhile_make_the_next_one():
    schedule = RefreshSchedule(30.0)
    schedule.mark(0.0)
    assert schedule.due(1.0, quiet=True)
    schedule.mark(2.0)                          # accepted while the refresh runs
    assert not schedule.due(3.0, quiet=True)
    schedule.done()
    assert schedule.due(3.1, quiet=True)
    schedule.done()
    assert not schedule.due(4.0, quiet=True) and schedule.state() == ""
