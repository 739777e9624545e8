from desktop_app.config import load_settings
from ui.app import StationWindow
from ui.style import stylesheet


def test_station_window_opens_offscreen_and_renders(qtbot, tmp_path):
    window = StationWindow(load_settings(camera="demo.mp4"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Interview Station"
    assert "demo.mp4" in window.camera_label.text()
    image = window.grab().toImage()
    assert image.width() >= 960
    assert image.height() >= 600


def test_branding_colour_is_applied_and_bad_colours_fall_back():
    assert "#aa3300" in stylesheet("#aa3300")
    assert "url(x)" not in stylesheet("red; background: url(x)")
    assert "@accent" not in stylesheet(None)
