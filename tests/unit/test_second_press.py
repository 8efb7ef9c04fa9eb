"""The second press that confirms ending an interview (simulator.tui.second_press)."""

from simulator.tui.second_press import SecondPress


def test_only_a_second_press_within_the_window_confirms():
    now = [100.0]
    press = SecondPress(window_s=3.0, clock=lambda: now[0])
    assert not press.confirmed()  # the first press asks
    now[0] += 2.0
    assert press.confirmed()  # the second, soon after, confirms
    now[0] += 10.0
    assert not press.confirmed()  # a press long after asks again
    now[0] += 3.5
    assert not press.confirmed()  # ...and one just outside the window still asks
