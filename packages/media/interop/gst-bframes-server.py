#!/usr/bin/python3
"""A GStreamer RTSP server with B-frame streams, for the B-frame interop tests
(Debian: gir1.2-gst-rtsp-server-1.0, python3-gi, gstreamer1.0-plugins-ugly for x264enc,
-bad for x265enc).

Usage: gst-bframes-server.py PORT FRAMES
  /h264  x264enc, 2 B-frames (b-adapt off, so every GOP has them), GOP 25
  /h265  x265enc, 3 B-frames, closed GOPs of 25
Each mount is not shared: every client gets FRAMES frames at 25 fps from the first one,
then EOS, so the number of frames sent is known exactly. Prints "READY" once listening.
"""
import sys
import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gst, GstRtspServer, GLib  # noqa: E402

port, frames = int(sys.argv[1]), int(sys.argv[2])
Gst.init(None)

SRC = f'videotestsrc num-buffers={frames} pattern=ball ! video/x-raw,format=I420,width=320,height=240,framerate=25/1'
# No tune=zerolatency: it turns B-frames off. The caps filter asks for High: left to
# negotiate with the payloader, x264enc picks Constrained Baseline, which has no B-frames.
PIPES = {
    '/h264': f'( {SRC} ! x264enc key-int-max=25 bframes=2 b-adapt=false ! video/x-h264,profile=high ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )',
    '/h265': f'( {SRC} ! x265enc key-int-max=25 option-string="bframes=3:b-adapt=0:open-gop=0" ! h265parse ! rtph265pay name=pay0 pt=96 config-interval=-1 )',
}

server = GstRtspServer.RTSPServer()
server.set_address('127.0.0.1')
server.set_service(str(port))
mounts = server.get_mount_points()
for path, launch in PIPES.items():
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch(launch)
    f.set_shared(False)
    mounts.add_factory(path, f)
server.attach(None)
print('READY', flush=True)
GLib.MainLoop().run()
