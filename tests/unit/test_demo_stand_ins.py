"""Demo stand-ins: named plainly, never blocking; the drawn face passes the real face check."""

from desktop_app.devices.check import count_faces, face_cascade
from desktop_app.devices.demo import (
    DEMO_CAMERA_LABEL,
    DEMO_MICROPHONE_LABEL,
    StandIns,
    draw_demo_face,
    findings_with_stand_ins,
)
from desktop_app.findings import Finding, Status

MEASURED = [
    Finding("speech", Status.fail, "We could not hear you speak.", "Speak up."),
    Finding("face", Status.fail, "We cannot see a face.", "Sit in front of the camera."),
    Finding("lighting", Status.ok, "The lighting is good."),
]


def test_the_drawn_face_is_found_by_the_face_check_at_every_sway() -> None:
    cascade = face_cascade()
    for step in range(8):
        assert count_faces(draw_demo_face(640, 480, phase=step * 0.8), cascade) == 1, step
    assert count_faces(draw_demo_face(1280, 720), cascade) == 1


def test_findings_about_a_stand_in_never_block_and_real_devices_still_do() -> None:
    camera_only = findings_with_stand_ins(MEASURED, StandIns(camera=True))
    assert [f.blocks for f in camera_only] == [True, False, False]  # the real microphone still counts
    assert camera_only[1].status is Status.warn and camera_only[1].fix == "(demo stand-in)"
    both = findings_with_stand_ins(MEASURED, StandIns(camera=True, microphone=True))
    assert not any(f.blocks for f in both)
    assert findings_with_stand_ins(MEASURED, StandIns()) == MEASURED


def test_stand_in_labels_name_what_is_missing() -> None:
    assert StandIns().labels == []
    camera_line, microphone_line = StandIns(camera=True, microphone=True).labels
    assert camera_line.startswith(DEMO_CAMERA_LABEL) and microphone_line.startswith(DEMO_MICROPHONE_LABEL)
